"""The small shapes the dashboard's panels are made of: key figures and tables of formatted
cells, and how a week is named. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


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


def week_label(monday: date, gettext: Callable[[str], str]) -> str:
    """An ISO week as the page names it (``veke 45 2026``)."""
    year, week, _ = monday.isocalendar()
    return gettext("week {week} {year}").format(week=week, year=year)
