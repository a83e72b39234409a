"""Builders for the domain's unit tests: volunteers and shifts in a given state, made through
the domain's own decisions and events (never by setting fields), so that a test starts from a
state the rules can reach."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from uuid import UUID, uuid4

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import RecruitmentChannel, ShiftRole
from tvers_contracts.schedule import OSLO
from tvers_volunteers.domain import claims, publishing, volunteer
from tvers_volunteers.domain import shift as shifts
from tvers_volunteers.domain.commitments import Commitments
from tvers_volunteers.domain.shift import Shift
from tvers_volunteers.domain.volunteer import Volunteer

State = TypeVar("State")
STAFF = "staff:5e1f"


def fold(
    state: State, events: Iterable[DomainEvent], evolve: Callable[[State, DomainEvent], State]
) -> State:
    """The state after the events."""
    for event in events:
        state = evolve(state, event)
    return state


def oslo(day: date, clock: str, fold: int = 0) -> datetime:
    """An aware moment on Oslo's wall clock."""
    return datetime.combine(day, time.fromisoformat(clock), OSLO).replace(fold=fold)


def registered(*, today: date, vgs_student: bool = False) -> Volunteer:
    """A volunteer just registered: active, not yet eligible to host."""
    events = volunteer.register(
        volunteer.NO_VOLUNTEER,
        volunteer_id=uuid4(),
        birth_year=today.year - 40,
        vgs_student=vgs_student,
        channel=RecruitmentChannel.MALL_STAND,
        campaign_id=None,
        today=today,
    )
    return fold(volunteer.NO_VOLUNTEER, events, volunteer.evolve)


def eligible(*, today: date) -> Volunteer:
    """A volunteer who may host: certificate shown and introduction completed."""
    state = registered(today=today)
    state = fold(
        state,
        volunteer.show_police_certificate(state, shown_on=today, staff_id=STAFF, today=today),
        volunteer.evolve,
    )
    return fold(
        state,
        volunteer.complete_introduction(state, completed_on=today, staff_id=STAFF, today=today),
        volunteer.evolve,
    )


def free(who: Volunteer) -> Commitments:
    """The commitments of a volunteer who holds no shift."""
    return Commitments(who.volunteer_id)


def published(
    *,
    starts_at: datetime,
    now: datetime,
    length: timedelta = timedelta(hours=2),
    capacity: int = 2,
    role: ShiftRole = ShiftRole.HOST,
    branch_id: str = "brattvag",
) -> Shift:
    """A shift published by staff."""
    events = publishing.publish(
        shifts.NO_SHIFT,
        shift_id=uuid4(),
        branch_id=branch_id,
        branch_known=True,
        starts_at=starts_at,
        ends_at=starts_at + length,
        capacity=capacity,
        role=role,
        now=now,
    )
    return fold(shifts.NO_SHIFT, events, shifts.evolve)


def claimed_by(state: Shift, *who: Volunteer, now: datetime) -> Shift:
    """The shift after each volunteer (eligible, holding nothing else) claimed it."""
    for one in who:
        state = fold(
            state, claims.claim(state, volunteer=one, commitments=free(one), now=now), shifts.evolve
        )
    return state


def ids(events: Iterable[DomainEvent]) -> list[UUID]:
    """The volunteer ids the events are about, in order."""
    return [getattr(e, "volunteer_id") for e in events]  # noqa: B009 - any event kind


def id_of(who: Volunteer) -> UUID:
    """A registered volunteer's id."""
    assert who.volunteer_id is not None, "not a registered volunteer"
    return who.volunteer_id
