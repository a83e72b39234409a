"""Who counts as a volunteer host at a branch: the hosts an attendance event lists, each counted
once, from check-in until the shift's end at the latest; the branch status carries the count."""

from datetime import datetime, timedelta
from typing import cast
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from tvers_access.adapters.hosts import ShiftOnAnotherStream, learn_attendance
from tvers_access.domain import branch, hours
from tvers_access.domain.hosts import CheckedInHost, hosts_on_duty, present_on_shift
from tvers_contracts import REGISTRY, DomainEvent, Envelope
from tvers_contracts.events.access import BranchRegistered
from tvers_contracts.events.volunteers import PresentHost, VolunteerCheckedIn
from tvers_runtime.db.types import Connection

OSLO = ZoneInfo("Europe/Oslo")
STARTS = datetime(2026, 11, 3, 18, 0, tzinfo=OSLO)
ENDS = datetime(2026, 11, 3, 20, 0, tzinfo=OSLO)


def host(ends: datetime = ENDS, volunteer_id: UUID | None = None) -> CheckedInHost:
    return CheckedInHost(
        shift_id=uuid4(),
        volunteer_id=volunteer_id or uuid4(),
        checked_in_at=STARTS,
        shift_ends_at=ends,
    )


def check_in(first_arrived: datetime) -> VolunteerCheckedIn:
    first, second = uuid4(), uuid4()
    return VolunteerCheckedIn(
        shift_id=uuid4(),
        branch_id="skodje",
        volunteer_id=second,
        starts_at=STARTS,
        ends_at=ENDS,
        checked_in_at=STARTS,
        present=[
            PresentHost(volunteer_id=first, checked_in_at=first_arrived),
            PresentHost(volunteer_id=second, checked_in_at=STARTS),
        ],
    )


def test_an_attendance_event_makes_every_present_volunteer_a_host_until_the_shift_end() -> None:
    event = check_in(STARTS - timedelta(minutes=10))
    assert present_on_shift(event) == [
        CheckedInHost(event.shift_id, p.volunteer_id, p.checked_in_at, ENDS) for p in event.present
    ]


def test_a_host_counts_until_just_before_the_shift_end() -> None:
    checked_in = [host()]
    assert hosts_on_duty(checked_in, ENDS - timedelta(microseconds=1)) == 1
    assert hosts_on_duty(checked_in, ENDS) == 0


def test_a_forgotten_check_out_stops_counting_when_the_shift_has_ended() -> None:
    yesterday = host(ends=ENDS - timedelta(days=1))
    assert hosts_on_duty([yesterday, host()], STARTS + timedelta(hours=1)) == 1


def test_a_volunteer_on_two_shifts_at_once_counts_once() -> None:
    volunteer = uuid4()
    assert hosts_on_duty([host(volunteer_id=volunteer), host(volunteer_id=volunteer)], STARTS) == 1


def test_the_branch_status_says_whether_a_host_is_checked_in() -> None:
    registered = branch.evolve(
        branch.NO_BRANCH, BranchRegistered(branch_id="skodje", name="Skodje", meirope_min_age=15)
    )
    alone = hours.status(registered, OSLO, STARTS)
    hosted = hours.status(registered, OSLO, STARTS, [host(), host()])
    after = hours.status(registered, OSLO, ENDS, [host(), host()])
    assert (alone.host_checked_in, alone.hosts_checked_in) == (False, 0)
    assert (hosted.host_checked_in, hosted.hosts_checked_in) == (True, 2)
    assert (after.host_checked_in, after.hosts_checked_in) == (False, 0)


async def test_a_check_in_that_is_not_on_its_shift_stream_is_refused() -> None:
    event = check_in(STARTS)
    envelope = cast(
        "Envelope[DomainEvent]",
        REGISTRY.envelope_of(VolunteerCheckedIn)(
            event_id=uuid4(),
            event_type="VolunteerCheckedIn",
            schema_version=1,
            tenant="1508",
            stream_id=f"volunteer-{event.volunteer_id}",
            stream_version=2,
            occurred_at=STARTS,
            recorded_at=STARTS,
            correlation_id=uuid4(),
            payload=event,
        ),
    )
    # Refused before any SQL: the version guard of another stream cannot order it.
    with pytest.raises(ShiftOnAnotherStream, match="not 'shift-"):
        await learn_attendance(cast("Connection", object()), envelope)
