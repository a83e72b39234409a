"""HTTP routes of occupancy, closing and alarms (decision 0015): a door's counter reports and
controller alarms (the door token of that door only), a branch's occupancy rules and staff
clearing the building (staff). The occupancy itself is part of the branch status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import AwareDatetime, BaseModel, Field

from tvers_access.entrypoints.dependencies import Done, Staff
from tvers_access.occupancy_application import OccupancyApplication
from tvers_contracts.events.access import MAX_PASSAGES_PER_REPORT, DoorAlarmKind
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.errors import ApiError
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow

router = APIRouter(route_class=JsonBodyRoute)


async def occupancy_cases(request: Request) -> OccupancyApplication:
    """The occupancy use cases, as wired by the bootstrap."""
    cases: OccupancyApplication = request.app.state.occupancy
    return cases


Occupancy = Annotated[OccupancyApplication, Depends(occupancy_cases)]


async def door_controller(
    door_id: Slug, who: Annotated[Principal, Depends(allow(Role.DOOR))]
) -> Principal:
    """The door token of the door in the path: another door's token gets 403."""
    if who.door_id != door_id:
        raise ApiError(403, "forbidden", f"this controller's token is for door {who.door_id!r}")
    return who


DoorController = Annotated[Principal, Depends(door_controller)]


class CountIn(Strict):
    entries: int = Field(ge=0, le=MAX_PASSAGES_PER_REPORT, description="Counted coming in.")
    exits: int = Field(ge=0, le=MAX_PASSAGES_PER_REPORT, description="Counted going out.")
    counted_at: AwareDatetime = Field(description="When, by the counter's clock.")
    sequence: int = Field(
        ge=0, le=2**53 - 1, description="The counter's own number of this report."
    )


class CountOut(BaseModel):
    status: str
    tailgating_suspected: bool = Field(
        description="Whether the report counted entries that no grant at this door explains "
        "(meirope hours only)."
    )


class AlarmIn(Strict):
    kind: DoorAlarmKind
    raised_at: AwareDatetime = Field(description="When, by the controller's clock.")


class OccupancyRulesIn(Strict):
    announce_minutes_before: list[int] = Field(
        default=[15, 10, 5],
        max_length=6,
        description="Minutes before a meirope closing at which it is announced (1 to 120, "
        "each once); empty: none.",
    )
    check_after_minutes: int = Field(
        default=2,
        ge=0,
        le=30,
        description="How long after a meirope closing the building-empty check runs.",
    )
    tailgating_window_seconds: int = Field(
        default=10,
        ge=2,
        le=120,
        description="How soon after a granted entry the counter must count it.",
    )


@router.post("/doors/{door_id}/counts", tags=["doors"])
async def report_count(
    door_id: Slug,
    body: CountIn,
    request: Request,
    who: DoorController,
    cases: Occupancy,
    idempotency_key: IdempotencyKey = None,
) -> CountOut:
    """A people counter's report: the entries and exits it counted since its last report.
    Occupancy follows from these; more entries than the door granted raise a tailgating
    suspicion in meirope hours."""
    counted = await cases.report_count(
        await command_context(request, who, idempotency_key),
        door_id=door_id,
        entries=body.entries,
        exits=body.exits,
        counted_at=body.counted_at,
        sequence=body.sequence,
    )
    return CountOut(status="counted", tailgating_suspected=counted.tailgating is not None)


@router.post("/doors/{door_id}/alarms", tags=["doors"])
async def raise_alarm(
    door_id: Slug,
    body: AlarmIn,
    request: Request,
    who: DoorController,
    cases: Occupancy,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """A door controller's alarm: the door was held open too long, or forced."""
    await cases.raise_alarm(
        await command_context(request, who, idempotency_key),
        door_id=door_id,
        kind=body.kind,
        raised_at=body.raised_at,
    )
    return Done(status="raised")


@router.put("/branches/{branch_id}/occupancy-rules", tags=["branches"])
async def set_occupancy_rules(
    branch_id: Slug,
    body: OccupancyRulesIn,
    request: Request,
    who: Staff,
    cases: Occupancy,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Set when the branch's meirope closings are announced (default 15, 10 and 5 minutes
    before), when the building is checked for people left inside, and the tailgating window."""
    await cases.set_rules(
        await command_context(request, who, idempotency_key),
        branch_id,
        announce_minutes_before=body.announce_minutes_before,
        check_after_minutes=body.check_after_minutes,
        tailgating_window_seconds=body.tailgating_window_seconds,
    )
    return Done(status="set")


@router.post("/branches/{branch_id}/occupants/clear", tags=["branches"])
async def clear_occupants(
    branch_id: Slug,
    request: Request,
    who: Staff,
    cases: Occupancy,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Staff found the building empty: the alerts of people left inside at closing are
    cleared, and occupancy counts from zero from now (also to correct a counter's drift)."""
    await cases.clear_occupants(await command_context(request, who, idempotency_key), branch_id)
    return Done(status="cleared")
