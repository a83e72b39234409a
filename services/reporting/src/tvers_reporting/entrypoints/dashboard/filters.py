"""What the dashboard is asked to show: a period, a branch (or all) and a school year, read from
the page's address. Pure: no I/O, so the defaults and the refusals are tested alone.

- **Period**: one of the named periods ``last-30-days``, ``last-12-months`` and ``this-year``
  (``period``), or else ``from`` and ``to`` (Europe/Oslo days, both included); by default the
  last 12 months, as a year of meirope and volunteer shifts is what the library compares. At
  most three years.
- **Branch**: a branch's id, or all of them.
- **School year**: ``2025-2026``; by default the school year of the period's last day (July
  counted with the school year just ended).

Each filter is given at most once (as the JSON API asks of its parameters): an address with two
periods or two branches is refused rather than one of them chosen unseen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tvers_contracts.events.visits import school_year_of
from tvers_reporting.entrypoints.dashboard import texts

#: The page's filters and the school table's sort, each given at most once.
FILTER_KEYS = frozenset({"period", "from", "to", "branch", "school_year", "sort", "order"})
#: The longest period the page shows at once.
LONGEST = timedelta(days=3 * 366)


class Named(StrEnum):
    """The periods the page offers by name."""

    LAST_30_DAYS = "last-30-days"
    LAST_12_MONTHS = "last-12-months"
    THIS_YEAR = "this-year"


class FilterRefused(ValueError):
    """A filter the page cannot show; ``message`` is a marked message saying why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Filters:
    """What to show."""

    first: date
    last: date
    branch_id: str | None
    school_year: str
    #: The named period chosen, if the period is one.
    named: Named | None = None

    def query(self, **changes: str | None) -> dict[str, str]:
        """The address's query for these filters, with ``changes`` (a value of None drops a
        key), e.g. for a link that sorts a table."""
        params: dict[str, str | None] = {
            "period": self.named.value if self.named else None,
            "from": None if self.named else self.first.isoformat(),
            "to": None if self.named else self.last.isoformat(),
            "branch": self.branch_id,
            "school_year": self.school_year,
        }
        params.update(changes)
        return {k: v for k, v in params.items() if v}


def once_each(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The query's parameters; :class:`FilterRefused` if a filter is given twice."""
    query: dict[str, str] = {}
    for key, value in pairs:
        if key in query and key in FILTER_KEYS:
            raise FilterRefused(texts.FILTER_TWICE)
        query[key] = value
    return query


def named_period(named: Named, today: date) -> tuple[date, date]:
    """The days of a named period, ending today."""
    if named is Named.LAST_30_DAYS:
        return today - timedelta(days=29), today
    if named is Named.THIS_YEAR:
        return date(today.year, 1, 1), today
    a_year_ago = _same_day_a_year_before(today)
    return a_year_ago + timedelta(days=1), today


def _same_day_a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def read_filters(
    query: dict[str, str], *, today: date, branches: set[str], school_years: set[str]
) -> Filters:
    """The filters of a page's query; :class:`FilterRefused` says what was wrong."""
    named: Named | None = None
    first_text, last_text = query.get("from", "").strip(), query.get("to", "").strip()
    period = query.get("period", "").strip()
    if period or not (first_text or last_text):
        try:
            named = Named(period or Named.LAST_12_MONTHS)
        except ValueError:
            raise FilterRefused(texts.BAD_PERIOD) from None
        first, last = named_period(named, today)
    else:
        first = _day(first_text, texts.BAD_FROM) if first_text else today - timedelta(days=364)
        last = _day(last_text, texts.BAD_TO) if last_text else today
    if first > last:
        raise FilterRefused(texts.FROM_AFTER_TO)
    if last - first > LONGEST:
        raise FilterRefused(texts.PERIOD_TOO_LONG)
    branch_id = query.get("branch") or None
    if branch_id is not None and branch_id not in branches:
        raise FilterRefused(texts.UNKNOWN_BRANCH)
    default_year = school_year_of(last)
    school_year = query.get("school_year") or default_year
    if school_year not in school_years | {default_year}:
        raise FilterRefused(texts.UNKNOWN_SCHOOL_YEAR)
    return Filters(first, last, branch_id, school_year, named)


def _day(text: str, refusal: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FilterRefused(refusal) from None
    if not 2000 <= day.year <= 2099:
        raise FilterRefused(refusal)
    return day
