"""Open hours per Europe/Oslo week: each period counts whole in the week of the day it starts,
and lasts the time that passes on the clock (the nights the clocks change included)."""

from datetime import UTC, date, datetime, timedelta

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import WeeklyScheduleSet
from tvers_contracts.schedule import OSLO
from tvers_reporting.read_models.open_hours import Opening, opening_by_week
from tvers_reporting.read_models.schedules import periods_by_day
from tvers_runtime.testing.schedules import weekly

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
HOURS = timedelta(hours=1)


def week() -> list[tuple[datetime, DomainEvent]]:
    periods = [
        weekly(1, "10:00", "16:00", "staffed"),  # Monday
        weekly(6, "23:00", "04:00"),  # Saturday night into Sunday
        weekly(7, "22:00", "01:00"),  # Sunday night into Monday
    ]
    return [(LONG_AGO, WeeklyScheduleSet(branch_id="haroy", periods=periods))]


def by_week(first: date, last: date) -> dict[date, Opening]:
    return opening_by_week(periods_by_day(week(), first, last, OSLO))


def test_the_night_the_clocks_go_forward_is_an_hour_short() -> None:
    # Saturday 28 March 2026, 23:00 CET to 04:00 CEST: four hours pass, not five. Sunday 29th
    # 22:00 to Monday 01:00 counts in the week of Sunday (Monday 23 March), not of Monday 30th.
    assert by_week(date(2026, 3, 23), date(2026, 3, 29)) == {
        date(2026, 3, 23): Opening(staffed=6 * HOURS, meirope=(4 + 3) * HOURS)
    }


def test_the_night_the_clocks_go_back_is_an_hour_long() -> None:
    # Saturday 24 October 2026, 23:00 CEST to 04:00 CET: six hours pass.
    assert by_week(date(2026, 10, 19), date(2026, 10, 25)) == {
        date(2026, 10, 19): Opening(staffed=6 * HOURS, meirope=(6 + 3) * HOURS)
    }


def test_an_ordinary_week_and_a_period_across_midnight_count_in_the_week_they_start() -> None:
    # The Sunday night of 5 April runs into Monday 6 April, and counts in the week of 30 March;
    # Monday 6 April's staffed hours count in the next week.
    assert by_week(date(2026, 3, 30), date(2026, 4, 6)) == {
        date(2026, 3, 30): Opening(staffed=6 * HOURS, meirope=(5 + 3) * HOURS),
        date(2026, 4, 6): Opening(staffed=6 * HOURS),
    }
