"""HTTP routes of shifts as such: published, listed, proposals confirmed or withdrawn, cancelled.
Every route names the roles that may call it."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import AwareDatetime, Field

from tvers_contracts.events.volunteers import ShiftRole
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.errors import ApiError
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.queries import QueryMoment
from tvers_runtime.http.security import allow
from tvers_volunteers.domain.limits import FURTHEST_AHEAD, REACH_YEARS, within_reach
from tvers_volunteers.domain.shift import Stage
from tvers_volunteers.entrypoints.dependencies import App, ShiftOut, shift_out, staff_ref

router = APIRouter(tags=["shifts"], route_class=JsonBodyRoute)
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
Reader = Annotated[Principal, Depends(allow(Role.STAFF, Role.VOLUNTEER, Role.VIEWER))]
#: How far a listing reaches when not told.
DEFAULT_REACH = timedelta(days=28)


class ShiftIn(Strict):
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int = Field(default=2, ge=1, le=20)
    role: ShiftRole = Field(
        default=ShiftRole.HOST,
        description="host: keeps a staffless hour (eligible volunteers only); helper: anyone.",
    )


@router.post("/shifts", status_code=status.HTTP_201_CREATED)
async def publish_shift(
    body: ShiftIn,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> ShiftOut:
    """Publish a shift at a branch, open for claims."""
    shift_id = await app.publish_shift(
        await command_context(request, who, idempotency_key),
        branch_id=body.branch_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        capacity=body.capacity,
        role=body.role,
    )
    return shift_out(await app.shift(shift_id, tenant=who.tenant), who)


@router.get("/shifts")
async def list_shifts(
    who: Reader,
    app: App,
    after: Annotated[
        QueryMoment | None,
        Query(alias="from", description="From this moment (default: now)."),
    ] = None,
    before: Annotated[
        QueryMoment | None,
        Query(alias="to", description="Until this moment (default: four weeks on)."),
    ] = None,
    branch_id: Annotated[Slug | None, Query()] = None,
    open_only: Annotated[
        bool, Query(description="Only published shifts with a free place or a waitlist.")
    ] = False,
) -> list[ShiftOut]:
    """The shifts that overlap a span of time, by start (at most 500)."""
    now = app.now()
    if not all(within_reach(moment - now) for moment in (after, before) if moment is not None):
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_request",
            f"'from' and 'to' must lie within {REACH_YEARS} years of now",
        )
    start = after or now
    end = before or start + DEFAULT_REACH
    if end <= start:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "invalid_request", "'to' must lie after 'from'"
        )
    if end - start > FURTHEST_AHEAD:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_request",
            f"a listing spans at most {FURTHEST_AHEAD.days} days",
        )
    shifts = await app.shifts_between(who.tenant, start, end, branch_id=branch_id)
    if open_only:
        shifts = [s for s in shifts if s.stage is Stage.PUBLISHED]
    return [shift_out(s, who) for s in shifts]


@router.get("/shifts/{shift_id}")
async def get_shift(shift_id: UUID, app: App, who: Reader) -> ShiftOut:
    """A shift and its free places."""
    return shift_out(await app.shift(shift_id, tenant=who.tenant), who)


@router.post("/shifts/{shift_id}/confirm")
async def confirm_proposal(
    shift_id: UUID, request: Request, who: Staff, app: App, idempotency_key: IdempotencyKey = None
) -> ShiftOut:
    """Publish a shift the service proposed, as proposed."""
    context = await command_context(request, who, idempotency_key)
    return shift_out(await app.confirm_proposal(context, shift_id=shift_id), who)


@router.post("/shifts/{shift_id}/withdraw")
async def withdraw_proposal(
    shift_id: UUID, request: Request, who: Staff, app: App, idempotency_key: IdempotencyKey = None
) -> ShiftOut:
    """Dismiss a shift the service proposed."""
    context = await command_context(request, who, idempotency_key)
    return shift_out(
        await app.withdraw_proposal(context, shift_id=shift_id, staff_id=staff_ref(who)), who
    )


@router.post("/shifts/{shift_id}/cancel")
async def cancel_shift(
    shift_id: UUID, request: Request, who: Staff, app: App, idempotency_key: IdempotencyKey = None
) -> ShiftOut:
    """Cancel a published shift before it starts; everyone on it, or waiting, is told."""
    context = await command_context(request, who, idempotency_key)
    return shift_out(
        await app.cancel_shift(context, shift_id=shift_id, staff_id=staff_ref(who)), who
    )
