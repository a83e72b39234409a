"""What the routes share: the use cases, who a command acts for, and how a shift is shown."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request, status
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from tvers_contracts.events.volunteers import ShiftRole, StaffRef
from tvers_runtime.application import CommandContext
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import Strict, command_context
from tvers_runtime.http.errors import ApiError
from tvers_volunteers.application import VolunteersApplication
from tvers_volunteers.domain.shift import Shift, Stage

_STAFF_REF: TypeAdapter[str] = TypeAdapter(StaffRef)


def staff_ref(who: Principal) -> str:
    """The staff member, as events name them: the token's opaque subject (``staff:3f9a1c2e``).
    A subject that could be an e-mail address or a name never goes into an event."""
    try:
        return _STAFF_REF.validate_python(who.subject)
    except ValidationError as error:
        raise ApiError(
            status.HTTP_403_FORBIDDEN,
            "forbidden",
            "a staff token's subject must be an opaque reference such as staff:3f9a1c2e",
        ) from error


def reader_of(who: Principal) -> str:
    """Who reads a volunteer's personal data, as the log of reads names them: staff by their
    opaque reference (403 for a subject that could be an e-mail address or a name, which a log
    line must never hold); a volunteer as the volunteer their token is bound to."""
    if who.role is Role.VOLUNTEER:
        return f"volunteer:{who.volunteer_id}"
    return staff_ref(who)


async def application(request: Request) -> VolunteersApplication:
    """The use cases, as wired by the bootstrap."""
    app: VolunteersApplication = request.app.state.volunteers
    return app


App = Annotated[VolunteersApplication, Depends(application)]


class ForVolunteer(Strict):
    """Whom a command is for: staff name the volunteer; a volunteer acts for themself and may
    leave it out."""

    volunteer_id: UUID | None = Field(default=None, description="Required for staff.")


def acting_for(who: Principal, volunteer_id: UUID | None) -> UUID:
    """The volunteer a command acts for: a volunteer token only ever for its own volunteer."""
    if who.role is Role.VOLUNTEER:
        if who.volunteer_id is None:
            raise ApiError(
                status.HTTP_403_FORBIDDEN, "forbidden", "this volunteer token names no volunteer"
            )
        if volunteer_id is not None and volunteer_id != who.volunteer_id:
            raise ApiError(
                status.HTTP_403_FORBIDDEN,
                "forbidden",
                "a volunteer token may act only for the volunteer it is bound to",
            )
        return who.volunteer_id
    if volunteer_id is None:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_request",
            "staff name the volunteer: volunteer_id is required",
        )
    return volunteer_id


class ShiftOut(BaseModel):
    """A shift as the caller may see it: the ids of those on it only for staff."""

    shift_id: UUID
    branch_id: str
    role: ShiftRole
    stage: Stage = Field(
        description="proposed, published or cancelled; withdrawn only in the answer to a dismissal."
    )
    starts_at: datetime
    ends_at: datetime
    capacity: int
    places_left: int
    waiting: int = Field(description="How many wait for a place.")
    mine: bool = Field(description="Whether the caller holds a place on it.")
    my_place_in_waitlist: int | None = Field(
        default=None, description="The caller's place in the waitlist (1 = next), if waiting."
    )
    checked_in: bool = Field(description="Whether the caller is checked in on it now.")
    volunteers: list[UUID] | None = Field(
        default=None, description="Who holds a place, in the order they took it (staff only)."
    )
    waitlist: list[UUID] | None = Field(
        default=None, description="Who waits, in the order they joined (staff only)."
    )


def shift_out(shift: Shift, who: Principal) -> ShiftOut:
    """A shift as ``who`` may see it."""
    assert shift.shift_id is not None
    assert shift.starts_at is not None
    assert shift.ends_at is not None
    me = who.volunteer_id
    staff = who.role is Role.STAFF
    return ShiftOut(
        shift_id=shift.shift_id,
        branch_id=shift.branch_id,
        role=shift.role,
        stage=shift.stage,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        capacity=shift.capacity,
        places_left=shift.places_left,
        waiting=len(shift.waitlist),
        mine=me is not None and me in shift.volunteers,
        my_place_in_waitlist=(
            shift.waitlist.index(me) + 1 if me is not None and me in shift.waitlist else None
        ),
        checked_in=me is not None and shift.is_present(me),
        volunteers=list(shift.volunteers) if staff else None,
        waitlist=list(shift.waitlist) if staff else None,
    )


async def act_for_volunteer(
    request: Request,
    who: Principal,
    idempotency_key: str | None,
    body: ForVolunteer | None,
    act: Callable[[CommandContext, UUID], Awaitable[Shift]],
) -> ShiftOut:
    """Run a volunteer's command on a shift (``act(context, volunteer_id)``) for whom the
    caller may act, and show the shift afterwards."""
    volunteer_id = acting_for(who, (body or ForVolunteer()).volunteer_id)
    context = await command_context(request, who, idempotency_key)
    return shift_out(await act(context, volunteer_id), who)
