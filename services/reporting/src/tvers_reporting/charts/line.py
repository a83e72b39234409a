"""A line over categories (e.g. the share of meirope hours with a host, per week). A missing
value (``None``) breaks the line: a gap, never a zero. Every value has a marker, so a single
point, or one between two gaps, still shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tvers_reporting.charts.canvas import (
    AXIS,
    GRID,
    MUTED_TEXT,
    SERIES,
    Chart,
    canvas,
    empty,
    finish,
    fmt,
    label,
    sub,
)

_WIDTH = 640.0
_LEFT = 64.0
_RIGHT = 16.0
_TOP = 44.0
_PLOT_H = 180.0


def line(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    summary: str,
    y_max: float | None = None,
    value_label: Callable[[float], str] = str,
    id_prefix: str = "line",
    empty_message: str | None = None,
) -> Chart:
    """The values against their labels, on a scale from 0 to ``y_max`` (by default the
    highest value). No value at all draws the empty chart with ``empty_message``."""
    known = [value for _, value in points if value is not None]
    if not known:
        return empty(title=title, summary=summary, message=empty_message, id_prefix=id_prefix)
    top_value = y_max if y_max is not None and y_max > 0 else max(*known, 0) or 1.0
    bottom = _TOP + _PLOT_H
    height = bottom + 40
    svg = canvas(width=_WIDTH, height=height, title=title, summary=summary, id_prefix=id_prefix)
    for i in range(5):
        tick = top_value * i / 4
        y = bottom - _PLOT_H * i / 4
        sub(svg, "line", x1=_LEFT, y1=y, x2=_WIDTH - _RIGHT, y2=y, stroke=GRID)
        label(svg, value_label(tick), _LEFT - 6, y + 4, size=10, anchor="end", fill=MUTED_TEXT)
    sub(svg, "line", x1=_LEFT, y1=bottom, x2=_WIDTH - _RIGHT, y2=bottom, stroke=AXIS)
    sub(svg, "line", x1=_LEFT, y1=_TOP, x2=_LEFT, y2=bottom, stroke=AXIS)
    span = _WIDTH - _LEFT - _RIGHT
    slot = span / len(points)
    step = max(1, -(-len(points) * 60 // int(span)))

    def where(index: int, value: float) -> tuple[float, float]:
        share = min(max(value, 0), top_value) / top_value
        return _LEFT + slot * (index + 0.5), bottom - _PLOT_H * share

    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (_, known_value) in enumerate(points):
        if known_value is None:
            segments.append(segment)
            segment = []
            continue
        x, y = where(index, known_value)
        segment.append(f"{fmt(x)},{fmt(y)}")
    segments.append(segment)
    for run in segments:
        if len(run) > 1:
            sub(
                svg,
                "polyline",
                points=" ".join(run),
                fill="none",
                stroke=SERIES[0],
                stroke_width=2.5,
                stroke_linejoin="round",
            )
    for index, (name, value) in enumerate(points):
        if index % step == 0:
            label(svg, name, _LEFT + slot * (index + 0.5), bottom + 16, size=10, anchor="middle")
        if value is None:
            continue
        x, y = where(index, value)
        dot = sub(svg, "circle", cx=x, cy=y, r=4, fill=SERIES[0], stroke="#ffffff", stroke_width=1)
        dot.set("data-value", str(value))
        sub(dot, "title", f"{name}: {value_label(value)}")
    return finish(svg, summary)
