"""A heat map: a grid of counts (e.g. entries by weekday and hour), darker for more.

Each cell with a count also shows its number, so the colour is never the only way to read it;
a zero cell stays white.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from tvers_reporting.charts.canvas import (
    AXIS,
    GRID,
    TEXT,
    Chart,
    canvas,
    contrast,
    empty,
    finish,
    label,
    sub,
)

_LIGHT = (0xEA, 0xF1, 0xFA)
_DARK = (0x08, 0x30, 0x6B)
_CELL_W = 30.0
_CELL_H = 24.0
_LEFT = 90.0
_TOP = 56.0


def shade(value: int, highest: int) -> str:
    """The cell colour of a count: white for zero, then light to dark blue."""
    if value <= 0 or highest <= 0:
        return "#ffffff"
    share = value / highest
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(_LIGHT, _DARK, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _ink(background: str) -> str:
    """Black or white text, whichever reads better on the cell."""
    return TEXT if contrast(TEXT, background) >= contrast("#ffffff", background) else "#ffffff"


def heat_map(
    values: Sequence[Sequence[int]],
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    title: str,
    summary: str,
    id_prefix: str = "heat-map",
    empty_message: str | None = None,
    value_label: Callable[[int], str] = str,
) -> Chart:
    """A grid of ``values[row][column]`` with the rows and columns labelled by the caller's
    strings. All zeros (or no rows) draw the empty chart with ``empty_message``."""
    if len(values) != len(rows) or any(len(row) != len(columns) for row in values):
        raise ValueError("values must have one row per row label and one cell per column label")
    highest = max((max(row, default=0) for row in values), default=0)
    if highest <= 0:
        return empty(title=title, summary=summary, message=empty_message, id_prefix=id_prefix)
    width = _LEFT + _CELL_W * len(columns) + 10
    height = _TOP + _CELL_H * len(rows) + 44
    svg = canvas(width=width, height=height, title=title, summary=summary, id_prefix=id_prefix)
    step = max(1, -(-len(columns) * 22 // (int(width - _LEFT))))
    for c, column in enumerate(columns):
        if c % step == 0:
            x = _LEFT + _CELL_W * (c + 0.5)
            label(svg, column, x, _TOP - 8, size=10, anchor="middle")
    describe = value_label
    for r, (row_label, row) in enumerate(zip(rows, values, strict=True)):
        y = _TOP + _CELL_H * r
        label(svg, row_label, _LEFT - 6, y + _CELL_H / 2 + 4, size=11, anchor="end")
        for c, value in enumerate(row):
            colour = shade(value, highest)
            cell = sub(
                svg,
                "rect",
                x=_LEFT + _CELL_W * c,
                y=y,
                width=_CELL_W,
                height=_CELL_H,
                fill=colour,
                stroke=GRID,
                stroke_width=1,
            )
            cell.set("data-value", str(value))
            sub(cell, "title", f"{row_label}, {columns[c]}: {describe(value)}")
            if value > 0:
                label(
                    svg,
                    describe(value),
                    _LEFT + _CELL_W * (c + 0.5),
                    y + _CELL_H / 2 + 3.5,
                    size=9,
                    anchor="middle",
                    fill=_ink(colour),
                )
    bottom = _TOP + _CELL_H * len(rows)
    sub(
        svg,
        "rect",
        x=_LEFT,
        y=_TOP,
        width=_CELL_W * len(columns),
        height=bottom - _TOP,
        fill="none",
        stroke=AXIS,
    )
    _scale(svg, highest, x=_LEFT, y=bottom + 14, describe=describe)
    return finish(svg, summary)


def _scale(
    svg: ET.Element, highest: int, *, x: float, y: float, describe: Callable[[int], str]
) -> None:
    """The key under the grid: the shades from one to the highest count."""
    steps = 5
    for i in range(steps):
        value = max(1, round(highest * (i + 1) / steps))
        sub(
            svg,
            "rect",
            x=x + 24 * i,
            y=y,
            width=24,
            height=12,
            fill=shade(value, highest),
            stroke=GRID,
        )
    label(svg, describe(1), x, y + 26, size=10)
    label(svg, describe(highest), x + 24 * steps, y + 26, size=10, anchor="end")
