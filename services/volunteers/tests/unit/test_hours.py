"""Hours are the time served, counted in the Oslo month and date of the check-in."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from tvers_volunteers.domain.hours import hours_of
from tvers_volunteers.domain.shift import Served, Shift
from tvers_volunteers.testing.domain import oslo


def served(branch: str, volunteer: UUID, checked_in_at: datetime, minutes: int) -> Shift:
    checked_in_at = checked_in_at.astimezone(UTC)  # elapsed time, as the events' instants are
    return Shift(
        shift_id=uuid4(),
        branch_id=branch,
        served=(Served(volunteer, checked_in_at, checked_in_at + timedelta(minutes=minutes)),),
    )


def test_a_shift_over_midnight_at_the_end_of_a_month_counts_whole_in_the_month_it_began() -> None:
    me = uuid4()
    late = served("skodje", me, oslo(date(2026, 11, 30), "23:00"), 120)
    hours = hours_of(me, [late], first=date(2026, 11, 1), last=date(2026, 12, 31))
    assert hours.by_month == {date(2026, 11, 1): timedelta(hours=2)}
    december = hours_of(me, [late], first=date(2026, 12, 1), last=date(2026, 12, 31))
    assert december.total == timedelta()


def test_hours_across_both_daylight_saving_changes_are_elapsed_time() -> None:
    me = uuid4()
    spring = served("haroy", me, oslo(date(2026, 3, 29), "01:00"), 180)  # 01:00-05:00 on the wall
    autumn = served("haroy", me, oslo(date(2026, 10, 25), "01:00"), 180)  # 01:00-03:00 on the wall
    hours = hours_of(me, [spring, autumn], first=date(2026, 1, 1), last=date(2026, 12, 31))
    assert hours.total == timedelta(hours=6)
    assert hours.by_branch == {"haroy": timedelta(hours=6)}
    assert hours.shifts == 2


def test_others_time_and_no_time_count_nothing() -> None:
    me, other = uuid4(), uuid4()
    theirs = served("skodje", other, oslo(date(2026, 5, 4), "18:00"), 120)
    none = served("skodje", me, oslo(date(2026, 5, 5), "18:00"), 0)
    hours = hours_of(me, [theirs, none], first=date(2026, 1, 1), last=date(2026, 12, 31))
    assert hours.total == timedelta()
    assert hours.shifts == 0
