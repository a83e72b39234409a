"""The schedule's events: version 2 of the weekly schedule reads every version 1 event the same
way and adds periods past midnight; dated exceptions end by midnight."""

from datetime import date, time

import pytest
from pydantic import ValidationError

from tvers_contracts import REGISTRY
from tvers_contracts.events import access_v1
from tvers_contracts.events.access import (
    DayPeriod,
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.values import OpeningKind

V1_PAYLOAD = {
    "branch_id": "skodje",
    "periods": [
        {"weekday": 1, "starts": "10:00", "ends": "15:00", "kind": "staffed"},
        {"weekday": 1, "starts": "15:00:00", "ends": "21:30:00.5", "kind": "meirope"},
    ],
}


def test_a_stored_version_1_schedule_is_read_as_the_same_periods_in_version_2() -> None:
    event = REGISTRY.decode("WeeklyScheduleSet", 1, V1_PAYLOAD)
    assert isinstance(event, WeeklyScheduleSet)
    assert [(p.weekday, p.starts, p.ends, p.kind, p.overnight) for p in event.periods] == [
        (1, time(10), time(15), OpeningKind.STAFFED, False),
        (1, time(15), time(21, 30, 0, 500_000), OpeningKind.MEIROPE, False),
    ]


def test_version_1_still_refuses_a_period_that_ends_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="end after it starts"):
        access_v1.SchedulePeriod(weekday=5, starts="22:00", ends="02:00", kind="meirope")


def test_the_current_weekly_schedule_is_version_2_and_version_1_stays_registered() -> None:
    assert REGISTRY.current("WeeklyScheduleSet") is WeeklyScheduleSet
    assert WeeklyScheduleSet.schema_version == 2
    assert access_v1.WeeklyScheduleSet in REGISTRY.all_classes()


@pytest.mark.parametrize(
    ("starts", "ends"), [("22:00", "02:00"), ("18:00", "18:00"), ("00:00", "00:00")]
)
def test_a_weekly_period_ending_at_or_before_its_start_runs_past_midnight(
    starts: str, ends: str
) -> None:
    period = SchedulePeriod(weekday=7, starts=starts, ends=ends, kind=OpeningKind.MEIROPE)
    assert period.overnight


@pytest.mark.parametrize(("starts", "ends"), [("20:00", "00:00"), ("00:00", "00:00")])
def test_a_day_period_may_end_at_midnight(starts: str, ends: str) -> None:
    assert DayPeriod(starts=starts, ends=ends, kind=OpeningKind.STAFFED).until_midnight


@pytest.mark.parametrize(("starts", "ends"), [("22:00", "02:00"), ("10:00", "10:00")])
def test_a_day_period_may_not_run_past_midnight(starts: str, ends: str) -> None:
    with pytest.raises(ValidationError, match="at midnight"):
        DayPeriod(starts=starts, ends=ends, kind=OpeningKind.STAFFED)


def test_an_exception_round_trips_through_the_registry() -> None:
    event = ScheduleExceptionSet(
        branch_id="skodje",
        date=date(2026, 12, 24),
        periods=[DayPeriod(starts=time(10), ends=time(13), kind=OpeningKind.STAFFED)],
        label="Julaftan",
    )
    payload = event.model_dump(mode="json")
    assert payload["date"] == "2026-12-24"
    assert REGISTRY.decode("ScheduleExceptionSet", 1, payload) == event
    removed = ScheduleExceptionRemoved(branch_id="skodje", date=date(2026, 12, 24))
    assert REGISTRY.decode("ScheduleExceptionRemoved", 1, removed.model_dump(mode="json")) == (
        removed
    )
