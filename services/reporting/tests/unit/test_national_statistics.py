"""The national statistics' counting, without servers: visits split by the opening they fell
in, unknown where a branch has no counter, open hours and their average week, and events for
schools held elsewhere in the total only."""

from datetime import UTC, date, datetime
from decimal import Decimal

from tvers_contracts.schedule import OSLO, Occurrence
from tvers_contracts.values import OpeningKind
from tvers_reporting.domain.national_statistics import (
    BranchYear,
    Counted,
    SchoolEvents,
    counted,
    counting_spans,
    national_statistics,
)
from tvers_reporting.domain.statistics_figures import NO_COUNTER, SOME_COUNTERS, Figure

MEIROPE, STAFFED = OpeningKind.MEIROPE, OpeningKind.STAFFED


def oslo(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=OSLO).astimezone(UTC)


def test_a_night_from_new_years_eve_is_cut_at_midnight_and_the_rest_counts_as_closed() -> None:
    night = Occurrence(date(2025, 12, 31), oslo(2025, 12, 31, 22), oslo(2026, 1, 1, 2), MEIROPE)
    day = Occurrence(date(2026, 1, 2), oslo(2026, 1, 2, 10), oslo(2026, 1, 2, 16), STAFFED)
    spans = counting_spans([night, day], 2026)
    assert [(s.starts, s.ends) for s in spans] == [
        (oslo(2026, 1, 1, 0), oslo(2026, 1, 1, 2)),
        (day.starts, day.ends),
    ]
    # 4 in the night's first two hours of 2026, 10 in the day, 3 outside both
    assert counted(list(zip(spans, [4, 10], strict=True)), 17) == Counted(10, 4, 3)


def test_the_total_sums_visits_of_the_branches_with_a_counter_and_says_so() -> None:
    monday = Occurrence(date(2026, 1, 5), oslo(2026, 1, 5, 10), oslo(2026, 1, 5, 16), STAFFED)
    rows = national_statistics(
        2026,
        [
            BranchYear("a", [monday], Counted(5, 2, 1), 2, SchoolEvents(1, 20, 0, 0)),
            BranchYear("b", schools=SchoolEvents(theme_days=1, participants=4)),
        ],
        elsewhere=SchoolEvents(theme_days=1, participants=6),
    )
    got = {(r.branch_id, r.figure): (r.value, r.note) for r in rows}
    assert got[("b", Figure.VISITS_STAFFED)] == (None, NO_COUNTER)
    assert got[(None, Figure.VISITS_STAFFED)] == (5, SOME_COUNTERS)
    assert got[(None, Figure.COUNTED_WHILE_CLOSED)][0] == 1
    # 6 hours x 7 / 365 days = 0.115...
    assert got[("a", Figure.STAFFED_HOURS_WEEK)][0] == Decimal("0.12")
    assert got[(None, Figure.STAFFED_HOURS_YEAR)][0] == Decimal("6.00")
    # Theme days: b's one and the one held elsewhere
    assert got[(None, Figure.THEME_DAYS)][0] == 2
    assert got[(None, Figure.THEME_DAY_PARTICIPANTS)][0] == 10
    assert [r.branch_id for r in rows[:: len(Figure)]] == ["a", "b", None]
