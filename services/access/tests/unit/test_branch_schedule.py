"""The branch schedule the door follows, and the registration of branches and doors."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from tvers_access.domain import branch, door
from tvers_contracts.events.access import (
    BranchRegistered,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import Conflict, NotFound, RuleViolated

OSLO = ZoneInfo("Europe/Oslo")
REF = "0123456789abcdef0123456789abcdef"
MONDAY = datetime(2026, 11, 23, tzinfo=OSLO)


def period(weekday: int, starts: str, ends: str, kind: OpeningKind) -> SchedulePeriod:
    return SchedulePeriod(
        weekday=weekday, starts=time.fromisoformat(starts), ends=time.fromisoformat(ends), kind=kind
    )


def scheduled_branch() -> branch.Branch:
    state = branch.evolve(
        branch.NO_BRANCH,
        BranchRegistered(branch_id="skodje", name="Skodje", meirope_min_age=15),
    )
    return branch.evolve(
        state,
        WeeklyScheduleSet(
            branch_id="skodje",
            periods=[
                period(1, "07:00", "10:00", OpeningKind.MEIROPE),
                period(1, "10:00", "15:00", OpeningKind.STAFFED),
            ],
        ),
    )


def at(hour: int, minute: int = 0) -> datetime:
    return MONDAY.replace(hour=hour, minute=minute)


@pytest.mark.parametrize(
    ("moment", "kind"),
    [
        (at(6, 59), OpeningKind.CLOSED),
        (at(7), OpeningKind.MEIROPE),
        (at(9, 59), OpeningKind.MEIROPE),
        (at(10), OpeningKind.STAFFED),
        (at(15), OpeningKind.CLOSED),
        (at(8).replace(day=24), OpeningKind.CLOSED),  # Tuesday: nothing scheduled
    ],
)
def test_a_moment_falls_in_the_period_of_its_weekday(moment: datetime, kind: OpeningKind) -> None:
    assert scheduled_branch().opening_at(moment) is kind


def test_overlapping_periods_on_one_day_are_refused() -> None:
    with pytest.raises(RuleViolated, match="overlap on weekday 1"):
        branch.set_schedule(
            scheduled_branch(),
            [
                period(1, "07:00", "10:30", OpeningKind.MEIROPE),
                period(1, "10:00", "15:00", OpeningKind.STAFFED),
            ],
        )


def test_a_schedule_needs_a_registered_branch() -> None:
    with pytest.raises(NotFound):
        branch.set_schedule(branch.NO_BRANCH, [])


def test_a_branch_is_registered_once() -> None:
    with pytest.raises(Conflict):
        branch.register(scheduled_branch(), branch_id="skodje", name="Skodje", meirope_min_age=15)


def test_a_door_needs_a_registered_branch() -> None:
    with pytest.raises(NotFound):
        door.register(door.NO_DOOR, branch.NO_BRANCH, door_id="d", name="Door")
