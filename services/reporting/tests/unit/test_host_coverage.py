"""The share of meirope hours with a host checked in: meirope periods by the schedule as it stood
on each day, hosts' spans merged, counted in the Europe/Oslo week the period starts in."""

from datetime import UTC, date, datetime, timedelta

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import ScheduleExceptionSet, WeeklyScheduleSet
from tvers_contracts.schedule import OSLO
from tvers_reporting.read_models.host_coverage import coverage_by_week, meirope_by_day
from tvers_runtime.testing.schedules import weekly

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def sunday_nights(*later: tuple[datetime, DomainEvent]) -> list[tuple[datetime, DomainEvent]]:
    week = WeeklyScheduleSet(branch_id="haroy", periods=[weekly(7, "01:00", "04:00")])
    return [(LONG_AGO, week), *later]


def test_the_night_the_clocks_go_forward_has_two_meirope_hours_and_merged_hosts() -> None:
    # Sunday 29 March 2026: 01:00 CET (00:00 UTC) to 04:00 CEST (02:00 UTC) is two hours.
    meirope = meirope_by_day(sunday_nights(), date(2026, 3, 29), date(2026, 3, 30), OSLO)
    assert [(o.starts, o.ends) for o in meirope] == [
        (datetime(2026, 3, 29, 0, tzinfo=UTC), datetime(2026, 3, 29, 2, tzinfo=UTC))
    ]
    hosts = [
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), datetime(2026, 3, 29, 1, tzinfo=UTC)),
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    ]
    # Hosted from the period's start to 01:30 UTC: 90 of 120 minutes, in the week of Monday 23rd.
    assert coverage_by_week(meirope, hosts) == {
        date(2026, 3, 23): (timedelta(hours=2), timedelta(minutes=90))
    }


def test_a_day_counts_by_the_schedule_as_it_stood_at_its_end() -> None:
    def exception_for(day: date, set_at: datetime) -> tuple[datetime, DomainEvent]:
        closed_all_day = ScheduleExceptionSet(branch_id="haroy", date=day, periods=[], label=None)
        return set_at, closed_all_day

    events = sunday_nights(
        # Set on Saturday 21 March for Sunday 22 March: that night is closed.
        exception_for(date(2026, 3, 22), datetime(2026, 3, 21, 12, tzinfo=UTC)),
        # Set on 10 April for 5 April, a day already past: 5 April keeps its meirope hours.
        exception_for(date(2026, 4, 5), datetime(2026, 4, 10, 12, tzinfo=UTC)),
    )
    meirope = meirope_by_day(events, date(2026, 3, 15), date(2026, 4, 5), OSLO)
    assert [o.day for o in meirope] == [date(2026, 3, 15), date(2026, 3, 29), date(2026, 4, 5)]
