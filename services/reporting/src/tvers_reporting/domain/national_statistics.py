"""The yearly figures the National Library asks of public libraries, per branch and in total,
for one Europe/Oslo calendar year. Pure: the queries fetch what is counted, this module counts.

- **Visits** are what the people counters counted coming in, split by the opening they came in
  during (by the schedule as it stood that day); a branch with no counter report in the year
  has no known visits (``None``), and the total sums the branches that have one.
- **Card entries in meirope hours** are the door's decisions, kept beside the visits as what
  the door itself knows.
- **Open hours** are the schedule's staffed and meirope periods that start on the year's days,
  and their average week (the year's hours times seven over its days).
- **Events for schools**: class visits held with their pupils, theme days held with their
  participants; a theme day held elsewhere than at a branch counts in the total only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tvers_contracts.schedule import OSLO, Occurrence
from tvers_contracts.values import OpeningKind
from tvers_reporting.domain.statistics_figures import (
    COUNTER_FIGURES,
    NO_COUNTER,
    SOME_COUNTERS,
    WORDING,
    Figure,
)

Value = int | Decimal | None
HUNDREDTHS = Decimal("0.01")


@dataclass(frozen=True)
class Span:
    """A staffed or meirope stretch of time, as instants."""

    starts: datetime
    ends: datetime
    kind: OpeningKind


@dataclass(frozen=True)
class Counted:
    """A branch's counter entries in the year, by the opening they fell in."""

    staffed: int = 0
    meirope: int = 0
    closed: int = 0


@dataclass(frozen=True)
class SchoolEvents:
    """Class visits held and their pupils, theme days held and their participants."""

    class_visits: int = 0
    pupils: int = 0
    theme_days: int = 0
    participants: int = 0


@dataclass(frozen=True)
class BranchYear:
    """What is counted for one branch: its periods starting on the year's days, its counter
    entries (``None`` without a counter report in the year), its card entries in meirope hours
    and its events for schools."""

    branch_id: str
    periods: Sequence[Occurrence] = ()
    counted: Counted | None = None
    meirope_card_entries: int = 0
    schools: SchoolEvents = field(default_factory=SchoolEvents)


@dataclass(frozen=True)
class Row:
    """One figure of one branch (``branch_id`` ``None``: the total), with its note (English,
    to be translated)."""

    branch_id: str | None
    figure: Figure
    value: Value
    note: str


def year_days(year: int) -> tuple[date, date]:
    """The first and the last day of the year."""
    return date(year, 1, 1), date(year, 12, 31)


def year_instants(year: int) -> tuple[datetime, datetime]:
    """From Oslo midnight on 1 January to Oslo midnight on the next 1 January."""
    return datetime(year, 1, 1, tzinfo=OSLO), datetime(year + 1, 1, 1, tzinfo=OSLO)


def counting_spans(periods: Iterable[Occurrence], year: int) -> list[Span]:
    """The staffed and meirope stretches of ``periods`` within the year's instants: what the
    counter entries of the year are split by (a period from New Year's Eve into the new year
    is cut at midnight)."""
    start, end = year_instants(year)
    spans = (Span(max(p.starts, start), min(p.ends, end), p.kind) for p in periods)
    return [s for s in spans if s.starts < s.ends and s.kind is not OpeningKind.CLOSED]


def counted(entries_per_span: Sequence[tuple[Span, int]], year_total: int) -> Counted:
    """The year's counter entries split by opening: those within staffed and meirope spans, and
    the rest of the year's total as counted while closed."""
    staffed = sum(n for span, n in entries_per_span if span.kind is OpeningKind.STAFFED)
    meirope = sum(n for span, n in entries_per_span if span.kind is OpeningKind.MEIROPE)
    return Counted(staffed, meirope, year_total - staffed - meirope)


def _seconds(periods: Iterable[Occurrence], kind: OpeningKind) -> int:
    return sum(int((p.ends - p.starts) / timedelta(seconds=1)) for p in periods if p.kind is kind)


def _hours(seconds: int, *, per_week_of: int | None = None) -> Decimal:
    hours = Decimal(seconds) / 3600
    if per_week_of is not None:
        hours = hours * 7 / per_week_of
    return hours.quantize(HUNDREDTHS, rounding=ROUND_HALF_UP)


def _values(
    days: int,
    seconds: Mapping[OpeningKind, int],
    counts: Counted | None,
    card: int,
    schools: SchoolEvents,
) -> dict[Figure, Value]:
    staffed, meirope = seconds[OpeningKind.STAFFED], seconds[OpeningKind.MEIROPE]
    return {
        Figure.VISITS_STAFFED: counts.staffed if counts else None,
        Figure.VISITS_MEIROPE: counts.meirope if counts else None,
        Figure.COUNTED_WHILE_CLOSED: counts.closed if counts else None,
        Figure.MEIROPE_CARD_ENTRIES: card,
        Figure.STAFFED_HOURS_YEAR: _hours(staffed),
        Figure.MEIROPE_HOURS_YEAR: _hours(meirope),
        Figure.STAFFED_HOURS_WEEK: _hours(staffed, per_week_of=days),
        Figure.MEIROPE_HOURS_WEEK: _hours(meirope, per_week_of=days),
        Figure.CLASS_VISITS: schools.class_visits,
        Figure.CLASS_VISIT_PUPILS: schools.pupils,
        Figure.THEME_DAYS: schools.theme_days,
        Figure.THEME_DAY_PARTICIPANTS: schools.participants,
    }


def _rows(
    branch_id: str | None, values: Mapping[Figure, Value], counter_note: str | None
) -> list[Row]:
    """The rows of ``values``, each with its figure's note, but ``counter_note`` (if any) on the
    figures the counters count."""

    def note(figure: Figure) -> str:
        if counter_note is not None and figure in COUNTER_FIGURES:
            return counter_note
        return WORDING[figure].note

    return [Row(branch_id, figure, value, note(figure)) for figure, value in values.items()]


def national_statistics(
    year: int, branches: Sequence[BranchYear], elsewhere: SchoolEvents = SchoolEvents()
) -> list[Row]:
    """Each branch's figures (by branch id), then the total's: the sums of the branches', with
    the events for schools held elsewhere, and visits summed over the branches with a counter."""
    first, last = year_days(year)
    days = (last - first).days + 1
    rows: list[Row] = []
    kinds = (OpeningKind.STAFFED, OpeningKind.MEIROPE)
    for branch in sorted(branches, key=lambda b: b.branch_id):
        seconds = {kind: _seconds(branch.periods, kind) for kind in kinds}
        values = _values(days, seconds, branch.counted, branch.meirope_card_entries, branch.schools)
        rows += _rows(branch.branch_id, values, None if branch.counted else NO_COUNTER)
    with_counter = [b.counted for b in branches if b.counted is not None]
    total_counted = (
        Counted(
            sum(c.staffed for c in with_counter),
            sum(c.meirope for c in with_counter),
            sum(c.closed for c in with_counter),
        )
        if with_counter
        else None
    )
    total_schools = SchoolEvents(
        *(
            sum(getattr(s, name) for s in (*(b.schools for b in branches), elsewhere))
            for name in ("class_visits", "pupils", "theme_days", "participants")
        )
    )
    seconds = {kind: sum(_seconds(b.periods, kind) for b in branches) for kind in kinds}
    card = sum(b.meirope_card_entries for b in branches)
    total = _values(days, seconds, total_counted, card, total_schools)
    counter_note: str | None = None
    if not with_counter:
        counter_note = NO_COUNTER
    elif len(with_counter) < len(branches):
        counter_note = SOME_COUNTERS
    return rows + _rows(None, total, counter_note)
