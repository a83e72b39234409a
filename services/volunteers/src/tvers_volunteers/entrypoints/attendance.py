"""HTTP routes of attendance: check-in and check-out (the volunteer, or staff for them), and
staff corrections of the time served."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import AwareDatetime

from tvers_contracts.events.volunteers import CorrectionReason
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_volunteers.entrypoints.dependencies import (
    App,
    ForVolunteer,
    ShiftOut,
    act_for_volunteer,
    shift_out,
    staff_ref,
)

router = APIRouter(tags=["attendance"], route_class=JsonBodyRoute)
StaffOrVolunteer = Annotated[Principal, Depends(allow(Role.STAFF, Role.VOLUNTEER))]


class CorrectionIn(Strict):
    volunteer_id: UUID
    checked_in_at: AwareDatetime
    checked_out_at: AwareDatetime
    reason: CorrectionReason


@router.post("/shifts/{shift_id}/check-in")
async def check_in(
    shift_id: UUID,
    request: Request,
    who: StaffOrVolunteer,
    app: App,
    body: ForVolunteer | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Check in on a shift one holds a place on, from half an hour before it starts until it
    ends. The branch's status in access shows the host within seconds."""
    return await act_for_volunteer(
        request,
        who,
        idempotency_key,
        body,
        lambda context, volunteer_id: app.check_in(
            context, shift_id=shift_id, volunteer_id=volunteer_id
        ),
    )


@router.post("/shifts/{shift_id}/check-out")
async def check_out(
    shift_id: UUID,
    request: Request,
    who: StaffOrVolunteer,
    app: App,
    body: ForVolunteer | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Check out, until the day of the shift is over (then the rule closes it at the end)."""
    return await act_for_volunteer(
        request,
        who,
        idempotency_key,
        body,
        lambda context, volunteer_id: app.check_out(
            context, shift_id=shift_id, volunteer_id=volunteer_id
        ),
    )


@router.post("/shifts/{shift_id}/corrections")
async def correct_attendance(
    shift_id: UUID,
    body: CorrectionIn,
    request: Request,
    who: Annotated[Principal, Depends(allow(Role.STAFF))],
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Set the time a volunteer served on a shift (a forgotten check-in, a late stay, a no-show
    who came after all); the event keeps who corrected it and why."""
    shift = await app.correct_attendance(
        await command_context(request, who, idempotency_key),
        shift_id=shift_id,
        volunteer_id=body.volunteer_id,
        checked_in_at=body.checked_in_at,
        checked_out_at=body.checked_out_at,
        staff_id=staff_ref(who),
        reason=body.reason,
    )
    return shift_out(shift, who)
