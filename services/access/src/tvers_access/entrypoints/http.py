"""HTTP routes of the access service. Every route names the roles that may call it.

Requests and responses have their own schemas here, apart from the domain's events: a door sends
a card number, which never goes past the application layer.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import AwareDatetime, BaseModel, Field

from tvers_access.domain.retention import DEFAULT_DAYS, Retention
from tvers_access.domain.rules import AccessRules
from tvers_access.door_panel import panel_message
from tvers_access.entrypoints.dependencies import (
    App,
    BranchReader,
    CardNumber,
    Done,
    Staff,
    may_read_branch,
)
from tvers_contracts.events.access import (
    DenialReason,
    EntryDenied,
    EntryGranted,
    SchedulePeriod,
    UnreachablePolicy,
)
from tvers_contracts.values import OpeningKind, Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.domain import NotFound
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_runtime.http.text import PlainName
from tvers_runtime.i18n import Locale

router = APIRouter(route_class=JsonBodyRoute)


class BranchIn(Strict):
    branch_id: Slug
    name: PlainName
    meirope_min_age: int = Field(default=15, ge=0, le=120)


class ScheduleIn(Strict):
    periods: list[SchedulePeriod] = Field(max_length=100)


class BranchOut(BaseModel):
    branch_id: str
    name: str
    meirope_min_age: int
    periods: list[SchedulePeriod]


class DoorIn(Strict):
    door_id: Slug
    branch_id: Slug
    name: PlainName


class RetentionIn(Strict):
    door_decisions_days: int = Field(default=DEFAULT_DAYS, ge=1, le=3650)
    counter_days: int = Field(default=DEFAULT_DAYS, ge=1, le=3650)
    alarms_days: int = Field(default=DEFAULT_DAYS, ge=1, le=3650)


class AccessRulesIn(Strict):
    meirope_min_age: int = Field(ge=0, le=120)
    unaccompanied_min_age: int = Field(default=0, ge=0, le=120)
    guardian_window_seconds: int = Field(default=60, ge=5, le=600)
    when_unreachable: UnreachablePolicy = UnreachablePolicy.FAIL_CLOSED


class PresentationIn(Strict):
    card_number: CardNumber
    pin: str = Field(pattern=r"^\d{4,8}$", description="Checked against the library system.")
    presented_at: AwareDatetime | None = Field(
        default=None, description="When the card was shown, if the panel delivers late."
    )


class EntryOut(BaseModel):
    entry: str = Field(description="granted or denied")
    opening: OpeningKind
    reason: DenialReason | None = None
    verified: bool = Field(
        description="Whether the library system confirmed card and PIN (it is asked in meirope "
        "hours only)."
    )
    message_nn: str = Field(description="What the door panel shows, in nynorsk.")
    message_en: str = Field(description="The same in English.")


@router.post("/branches", status_code=status.HTTP_201_CREATED, tags=["branches"])
async def register_branch(
    body: BranchIn, request: Request, who: Staff, app: App, idempotency_key: IdempotencyKey = None
) -> Done:
    """Register a branch for door access."""
    await app.register_branch(
        await command_context(request, who, idempotency_key),
        branch_id=body.branch_id,
        name=body.name,
        meirope_min_age=body.meirope_min_age,
    )
    return Done(status="registered")


@router.put("/branches/{branch_id}/schedule", tags=["branches"])
async def set_schedule(
    branch_id: Slug,
    body: ScheduleIn,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Replace the weekly schedule: staffed and meirope periods; the rest is closed."""
    await app.set_schedule(
        await command_context(request, who, idempotency_key), branch_id, body.periods
    )
    return Done(status="scheduled")


@router.get("/branches/{branch_id}", tags=["branches"])
async def get_branch(branch_id: Slug, who: BranchReader, app: App) -> BranchOut:
    """A branch and its weekly schedule (a door panel: its own branch only)."""
    await may_read_branch(who, branch_id, app)
    found = await app.branch(branch_id)
    if not found.registered:
        raise NotFound(f"no branch {branch_id!r}")
    return BranchOut(
        branch_id=branch_id,
        name=found.name,
        meirope_min_age=found.meirope_min_age,
        periods=list(found.periods),
    )


@router.put("/branches/{branch_id}/access-rules", tags=["branches"])
async def set_access_rules(
    branch_id: Slug,
    body: AccessRulesIn,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Set the branch's meirope age, the age below which a child comes in only just after the
    guardian (and how soon after), and whether the doors let agreement holders in while the
    library system is unreachable (the default is to stay shut)."""
    await app.set_access_rules(
        await command_context(request, who, idempotency_key),
        branch_id,
        AccessRules(
            meirope_min_age=body.meirope_min_age,
            unaccompanied_min_age=body.unaccompanied_min_age,
            guardian_window=timedelta(seconds=body.guardian_window_seconds),
            when_unreachable=body.when_unreachable,
        ),
    )
    return Done(status="set")


@router.put("/branches/{branch_id}/retention", tags=["branches"])
async def set_retention(
    branch_id: Slug,
    body: RetentionIn,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Set how long the branch keeps each kind of door log: door decisions stay linkable to a
    card for this many days (then the month's key is destroyed and only counts remain); counter
    readings and alarms are kept in detail this long."""
    await app.set_retention(
        await command_context(request, who, idempotency_key),
        branch_id,
        Retention(body.door_decisions_days, body.counter_days, body.alarms_days),
    )
    return Done(status="set")


@router.post("/doors", status_code=status.HTTP_201_CREATED, tags=["doors"])
async def register_door(
    body: DoorIn, request: Request, who: Staff, app: App, idempotency_key: IdempotencyKey = None
) -> Done:
    """Register a door panel at a branch."""
    await app.register_door(
        await command_context(request, who, idempotency_key),
        door_id=body.door_id,
        branch_id=body.branch_id,
        name=body.name,
    )
    return Done(status="registered")


@router.post("/doors/{door_id}/presentations", tags=["doors"])
async def present_card(
    door_id: Slug,
    body: PresentationIn,
    request: Request,
    who: Annotated[Principal, Depends(allow(Role.DOOR))],
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> EntryOut:
    """A card and PIN shown at a door panel: granted or denied, with the reason."""
    if who.door_id != door_id:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"this panel's token is for door {who.door_id!r}"
        )
    decision = await app.present_card(
        await command_context(request, who, idempotency_key),
        door_id=door_id,
        card_number=body.card_number,
        pin=body.pin,
        presented_at=body.presented_at,
    )
    event = decision.event
    return EntryOut(
        entry="granted" if decision.granted else "denied",
        opening=event.opening,
        reason=event.reason if isinstance(event, EntryDenied) else None,
        verified=isinstance(event, EntryGranted) and event.verified,
        message_nn=panel_message(decision, Locale.NN),
        message_en=panel_message(decision, Locale.EN),
    )
