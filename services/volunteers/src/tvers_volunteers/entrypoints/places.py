"""HTTP routes of places on shifts: claim, release, waitlist. A volunteer acts for themself;
staff for any volunteer they name."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status
from pydantic import Field

from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_volunteers.entrypoints.dependencies import (
    App,
    ForVolunteer,
    ShiftOut,
    act_for_volunteer,
    acting_for,
    shift_out,
)

router = APIRouter(tags=["places"], route_class=JsonBodyRoute)
StaffOrVolunteer = Annotated[Principal, Depends(allow(Role.STAFF, Role.VOLUNTEER))]


class ClaimIn(ForVolunteer):
    or_wait: bool = Field(
        default=False, description="Join the waitlist if the shift is full (else 409 full)."
    )


@router.post("/shifts/{shift_id}/claims", status_code=status.HTTP_201_CREATED)
async def claim_shift(
    shift_id: UUID,
    request: Request,
    who: StaffOrVolunteer,
    app: App,
    body: ClaimIn | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Claim a place on a shift: refused when it is full, unless ``or_wait`` asks to join the
    waitlist instead (then ``my_place_in_waitlist`` says where)."""
    body = body or ClaimIn()
    volunteer_id = acting_for(who, body.volunteer_id)
    claimed = await app.claim_shift(
        await command_context(request, who, idempotency_key),
        shift_id=shift_id,
        volunteer_id=volunteer_id,
        or_wait=body.or_wait,
    )
    return shift_out(claimed.shift, who)


@router.post("/shifts/{shift_id}/release")
async def release_place(
    shift_id: UUID,
    request: Request,
    who: StaffOrVolunteer,
    app: App,
    body: ForVolunteer | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Give up a place before the shift starts; the first waiting volunteer gets it at once."""
    return await act_for_volunteer(
        request,
        who,
        idempotency_key,
        body,
        lambda context, volunteer_id: app.release_place(
            context, shift_id=shift_id, volunteer_id=volunteer_id
        ),
    )


@router.post("/shifts/{shift_id}/waitlist", status_code=status.HTTP_201_CREATED)
async def join_waitlist(
    shift_id: UUID,
    request: Request,
    who: StaffOrVolunteer,
    app: App,
    body: ForVolunteer | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Wait for a place on a full shift, behind those already waiting."""
    volunteer_id = acting_for(who, (body or ForVolunteer()).volunteer_id)
    joined = await app.join_waitlist(
        await command_context(request, who, idempotency_key),
        shift_id=shift_id,
        volunteer_id=volunteer_id,
    )
    return shift_out(joined.shift, who)


@router.post("/shifts/{shift_id}/waitlist/leave")
async def leave_waitlist(
    shift_id: UUID,
    request: Request,
    who: StaffOrVolunteer,
    app: App,
    body: ForVolunteer | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Stop waiting for a place."""
    return await act_for_volunteer(
        request,
        who,
        idempotency_key,
        body,
        lambda context, volunteer_id: app.leave_waitlist(
            context, shift_id=shift_id, volunteer_id=volunteer_id
        ),
    )
