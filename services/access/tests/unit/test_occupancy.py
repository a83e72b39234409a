"""Occupancy from counter reports: deltas in the counter's time order, never below zero, from the
start of each opening (a run of staffed and meirope time) or a clear by staff."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tvers_access.domain.door import Door
from tvers_access.domain.occupancy import Reading, count, counted_since, occupancy, opening_start
from tvers_access.domain.schedule import DayHours, Schedule
from tvers_contracts.events.access import DayPeriod, SchedulePeriod
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import NotFound, RuleViolated

OSLO = ZoneInfo("Europe/Oslo")
STAFFED, MEIROPE = OpeningKind.STAFFED, OpeningKind.MEIROPE
MONDAY = date(2026, 11, 23)
DOOR = Door("skodje-hovuddor", "skodje")


def oslo(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), OSLO).astimezone(UTC)


def reading(clock: str, entries: int = 0, exits: int = 0, day: date = MONDAY) -> Reading:
    return Reading("skodje-hovuddor", oslo(day, clock), entries, exits)


EVENING = [reading("18:00", entries=3), reading("19:00", exits=1), reading("20:00", entries=1)]


def test_occupancy_adds_entries_and_takes_away_exits() -> None:
    assert occupancy(EVENING, since=oslo(MONDAY, "00:00"), until=oslo(MONDAY, "23:00")) == 3


def test_occupancy_counts_only_reports_from_since_to_until() -> None:
    since, until = oslo(MONDAY, "19:00"), oslo(MONDAY, "19:59")
    assert occupancy(EVENING, since=since, until=until) == 0  # the exit alone, clamped
    assert occupancy(EVENING, since=oslo(MONDAY, "18:00"), until=until) == 2
    assert occupancy(EVENING, since=oslo(MONDAY, "18:00"), until=oslo(MONDAY, "20:00")) == 3


def test_occupancy_never_goes_below_zero_and_owes_nothing_to_later_entries() -> None:
    readings = [reading("18:00", exits=5), reading("18:10", entries=2)]
    assert occupancy(readings, since=oslo(MONDAY, "00:00"), until=oslo(MONDAY, "23:00")) == 2


def test_reports_are_added_in_the_counters_time_order_not_as_they_arrived() -> None:
    arrived = [reading("18:10", exits=1), reading("18:00", entries=1)]
    assert occupancy(arrived, since=oslo(MONDAY, "00:00"), until=oslo(MONDAY, "23:00")) == 0


DAY_AND_EVENING = Schedule(
    (
        SchedulePeriod(weekday=1, starts="10:00", ends="15:00", kind=STAFFED),
        SchedulePeriod(weekday=1, starts="15:00", ends="21:00", kind=MEIROPE),
        SchedulePeriod(weekday=2, starts="07:00", ends="09:00", kind=MEIROPE),
        SchedulePeriod(weekday=2, starts="18:00", ends="02:00", kind=MEIROPE),
    )
)
TUESDAY = MONDAY + timedelta(days=1)


@pytest.mark.parametrize(
    ("moment", "starts"),
    [
        (oslo(MONDAY, "10:00"), oslo(MONDAY, "10:00")),
        (oslo(MONDAY, "16:00"), oslo(MONDAY, "10:00")),  # staffed into meirope: one opening
        (oslo(MONDAY, "23:30"), oslo(MONDAY, "10:00")),  # after closing: the last people out
        (oslo(TUESDAY, "06:59"), oslo(MONDAY, "10:00")),
        (oslo(TUESDAY, "07:00"), oslo(TUESDAY, "07:00")),
        (oslo(TUESDAY, "12:00"), oslo(TUESDAY, "07:00")),
        (oslo(TUESDAY, "18:00"), oslo(TUESDAY, "18:00")),
        (oslo(TUESDAY + timedelta(days=1), "01:30"), oslo(TUESDAY, "18:00")),  # overnight
    ],
)
def test_occupancy_counts_from_the_start_of_each_opening(
    moment: datetime, starts: datetime
) -> None:
    assert opening_start(DAY_AND_EVENING, moment) == starts


def test_a_branch_without_an_opening_in_the_last_week_counts_from_midnight() -> None:
    closed = Schedule((), {MONDAY - timedelta(days=n): DayHours(()) for n in range(10)})
    assert opening_start(closed, oslo(MONDAY, "12:00")) == oslo(MONDAY, "00:00")


def test_an_exception_that_closes_the_day_leaves_the_last_opening_counting() -> None:
    holiday = Schedule(DAY_AND_EVENING.weekly, {TUESDAY: DayHours(())})
    assert opening_start(holiday, oslo(TUESDAY, "12:00")) == oslo(MONDAY, "10:00")
    extra = Schedule(
        DAY_AND_EVENING.weekly,
        {TUESDAY: DayHours((DayPeriod(starts="11:00", ends="13:00", kind=MEIROPE),))},
    )
    assert opening_start(extra, oslo(TUESDAY, "12:00")) == oslo(TUESDAY, "11:00")


def test_a_clear_by_staff_counts_from_zero_from_then_on() -> None:
    opened, cleared = oslo(MONDAY, "10:00"), oslo(MONDAY, "19:30")
    assert counted_since(opened, [cleared], oslo(MONDAY, "20:00")) == cleared
    assert counted_since(opened, [cleared], oslo(MONDAY, "19:00")) == opened  # not yet cleared
    assert counted_since(opened, [oslo(MONDAY, "09:00")], oslo(MONDAY, "20:00")) == opened
    since = counted_since(opened, [cleared], oslo(MONDAY, "23:00"))
    assert occupancy(EVENING, since=since, until=oslo(MONDAY, "23:00")) == 1


def test_a_report_counts_at_least_one_passage_at_a_registered_door() -> None:
    at = oslo(MONDAY, "18:00")
    counted = count(DOOR, entries=2, exits=1, counted_at=at, sequence=7)
    assert (counted.branch_id, counted.entries, counted.exits, counted.sequence) == (
        "skodje",
        2,
        1,
        7,
    )
    with pytest.raises(RuleViolated, match="at least one"):
        count(DOOR, entries=0, exits=0, counted_at=at, sequence=8)
    with pytest.raises(NotFound):
        count(Door(), entries=1, exits=0, counted_at=at, sequence=1)
