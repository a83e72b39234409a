"""The shape of the yearly report, as the PDF adapter draws it: plain words, numbers already
formatted, and charts. Pure data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date, get_day_names
from babel.numbers import format_percent

from tvers_reporting.charts import Chart
from tvers_runtime.i18n import Catalogs, Locale, local_date, local_number

CATALOGS = Catalogs("tvers_reporting")


@dataclass(frozen=True)
class Figure:
    """A key figure: what was counted and how many."""

    label: str
    value: str


@dataclass(frozen=True)
class Table:
    """A table with a header row; the first column is text, the others numbers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """One strand's part of the report."""

    heading: str
    intro: str
    figures: tuple[Figure, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """The whole report: a title page, then the strands."""

    language: str
    title: str
    library: str
    subtitle: str
    made: str
    sections: tuple[Section, ...] = field(default=())
    page_label: str = "{page}"


@dataclass(frozen=True)
class Words:
    """The language of one report: messages through the gettext catalogs, numbers, dates,
    months and weekdays as Babel writes them."""

    locale: Locale

    @property
    def say(self) -> Callable[[str], str]:
        """The translator (``_`` in the section builders)."""
        return CATALOGS.translator(self.locale)

    def number(self, value: float) -> str:
        return local_number(value, self.locale)

    def share(self, value: float) -> str:
        return format_percent(value, locale=self.locale.value)

    def day(self, value: date) -> str:
        return local_date(value, self.locale)

    def month(self, value: date) -> str:
        """The month's short name (``mar``)."""
        return format_date(value, "LLL", locale=self.locale.value)

    def weekdays(self) -> list[str]:
        """Monday to Sunday, in full."""
        names = get_day_names("wide", locale=self.locale.value)
        return [names[i] for i in range(7)]
