"""A branch's staffed hours, from its hours as learned from access (pure, no server)."""

from datetime import date, datetime, time

from tvers_contracts.events.access import (
    DayPeriod,
    ScheduleExceptionSet,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.schedule import OSLO
from tvers_contracts.values import OpeningKind
from tvers_runtime.branch_schedules import NO_HOURS, evolve

MONDAY = date(2027, 3, 1)
WEEK = WeeklyScheduleSet(
    branch_id="skodje",
    periods=[
        SchedulePeriod(weekday=1, starts="10:00", ends="16:00", kind=OpeningKind.STAFFED),
        SchedulePeriod(weekday=1, starts="16:00", ends="21:00", kind=OpeningKind.MEIROPE),
        SchedulePeriod(weekday=2, starts="17:00", ends="21:00", kind=OpeningKind.MEIROPE),
    ],
)


def oslo(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), OSLO)


def test_staffed_hours_leave_out_meirope_hours() -> None:
    hours = evolve(NO_HOURS, WEEK)
    staffed = hours.staffed(MONDAY, date(2027, 3, 2))
    assert [(o.starts, o.ends, o.label) for o in staffed] == [
        (oslo(MONDAY, 10), oslo(MONDAY, 16), None)
    ]


def test_an_exception_decides_its_dates_staffed_hours() -> None:
    extra = ScheduleExceptionSet(
        branch_id="skodje",
        date=date(2027, 3, 2),
        periods=[DayPeriod(starts="12:00", ends="15:00", kind=OpeningKind.STAFFED)],
        label="Ekstra",
    )
    closed = ScheduleExceptionSet(branch_id="skodje", date=MONDAY, periods=[], label="Stengt")
    hours = evolve(evolve(evolve(NO_HOURS, WEEK), extra), closed)
    staffed = hours.staffed(MONDAY, date(2027, 3, 8))
    assert [(o.day, o.starts, o.exception, o.label) for o in staffed] == [
        (date(2027, 3, 2), oslo(date(2027, 3, 2), 12), True, "Ekstra"),
        (date(2027, 3, 8), oslo(date(2027, 3, 8), 10), False, None),
    ]
