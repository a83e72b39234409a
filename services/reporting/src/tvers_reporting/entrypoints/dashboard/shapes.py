"""The small shapes the dashboard's panels are made of: key figures and tables of formatted
cells. Pure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyFigure:
    """One large number with what it is."""

    label: str
    value: str
    note: str | None = None


@dataclass(frozen=True)
class Table:
    """A small table: a caption, column heads and rows of formatted cells (the first a name)."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str
