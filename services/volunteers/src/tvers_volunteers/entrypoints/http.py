"""HTTP routes of the volunteers service. Every route names the roles that may call it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status
from pydantic import AwareDatetime, BaseModel, Field

from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.domain import RuleViolated
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_volunteers.application import VolunteersApplication
from tvers_volunteers.domain.shift import Shift

router = APIRouter(tags=["shifts"], route_class=JsonBodyRoute)


class ShiftIn(Strict):
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int = Field(default=2, ge=1, le=20)


class ShiftOut(BaseModel):
    shift_id: UUID
    branch_id: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    places_left: int
    mine: bool = Field(description="Whether the caller holds a place on it.")


async def application(request: Request) -> VolunteersApplication:
    """The use cases, as wired by the bootstrap."""
    app: VolunteersApplication = request.app.state.volunteers
    return app


App = Annotated[VolunteersApplication, Depends(application)]


def shift_out(shift: Shift, who: Principal) -> ShiftOut:
    assert shift.shift_id is not None
    assert shift.starts_at is not None
    assert shift.ends_at is not None
    return ShiftOut(
        shift_id=shift.shift_id,
        branch_id=shift.branch_id,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        capacity=shift.capacity,
        places_left=shift.places_left,
        mine=who.volunteer_id in shift.volunteers,
    )


@router.post("/shifts", status_code=status.HTTP_201_CREATED)
async def publish_shift(
    body: ShiftIn,
    request: Request,
    who: Annotated[Principal, Depends(allow(Role.STAFF))],
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Publish a hosting shift at a branch."""
    shift_id = await app.publish_shift(
        await command_context(request, who, idempotency_key),
        branch_id=body.branch_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        capacity=body.capacity,
        now=datetime.now(UTC),
    )
    return shift_out(await app.shift(shift_id), who)


@router.get("/shifts/{shift_id}")
async def get_shift(
    shift_id: UUID,
    app: App,
    who: Annotated[Principal, Depends(allow(Role.STAFF, Role.VOLUNTEER))],
) -> ShiftOut:
    """A shift and its free places."""
    return shift_out(await app.shift(shift_id), who)


@router.post("/shifts/{shift_id}/claims", status_code=status.HTTP_201_CREATED)
async def claim_shift(
    shift_id: UUID,
    request: Request,
    who: Annotated[Principal, Depends(allow(Role.VOLUNTEER))],
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Claim a place on a shift (refused when it is full)."""
    if who.volunteer_id is None:
        raise RuleViolated("this volunteer token is not bound to a volunteer")
    shift = await app.claim_shift(
        await command_context(request, who, idempotency_key),
        shift_id=shift_id,
        volunteer_id=who.volunteer_id,
        now=datetime.now(UTC),
    )
    return shift_out(shift, who)
