"""Grouped bars (e.g. per branch, visits in staffed and in unstaffed hours), drawn across the
page: each group's name above its bars, so long names need no room below a narrow screen.

Each bar starts with its series' marker (circle, square, ...) as in the legend, and ends with
its value, so neither the series nor the amount is told by colour or length alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tvers_reporting.charts.canvas import (
    AXIS,
    SERIES,
    Chart,
    canvas,
    empty,
    finish,
    label,
    mark,
    sub,
)

_WIDTH = 640.0
_LEFT = 26.0
_BAR_H = 14.0
_GAP = 4.0
_VALUE_ROOM = 90.0


def grouped_bars(
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    summary: str,
    value_label: Callable[[float], str] = str,
    id_prefix: str = "bars",
    empty_message: str | None = None,
) -> Chart:
    """One bar per group and series, ``series[i][1][g]`` long. No groups, or only zeros, draw
    the empty chart with ``empty_message``."""
    if len(series) > len(SERIES):
        raise ValueError(f"at most {len(SERIES)} series")
    if any(len(values) != len(groups) for _, values in series):
        raise ValueError("each series must have one value per group")
    highest = max((max(values, default=0) for _, values in series), default=0)
    if not groups or not series or highest <= 0:
        return empty(title=title, summary=summary, message=empty_message, id_prefix=id_prefix)
    legend_y = 42.0
    top = legend_y + 22
    group_h = 18 + len(series) * (_BAR_H + _GAP) + 8
    height = top + group_h * len(groups) + 8
    svg = canvas(width=_WIDTH, height=height, title=title, summary=summary, id_prefix=id_prefix)
    x = 8.0
    for s, (name, _) in enumerate(series):
        mark(svg, s, x + 6, legend_y - 4, 10, SERIES[s])
        label(svg, name, x + 16, legend_y, size=12)
        x += 30 + 7 * len(name)
    span = _WIDTH - _LEFT - _VALUE_ROOM
    for g, group in enumerate(groups):
        y = top + group_h * g
        label(svg, group, 8, y + 12, size=12, bold=True)
        for s, (name, values) in enumerate(series):
            value = values[g]
            bar_y = y + 18 + s * (_BAR_H + _GAP)
            length = span * max(value, 0) / highest
            bar = sub(svg, "rect", x=_LEFT, y=bar_y, width=length, height=_BAR_H, fill=SERIES[s])
            bar.set("data-value", str(value))
            sub(bar, "title", f"{group}, {name}: {value_label(value)}")
            mark(svg, s, 14, bar_y + _BAR_H / 2, 9, SERIES[s])
            label(svg, value_label(value), _LEFT + length + 6, bar_y + _BAR_H - 3, size=11)
        sub(svg, "line", x1=_LEFT, y1=y + 16, x2=_LEFT, y2=y + group_h - 6, stroke=AXIS)
    return finish(svg, summary)
