"""HTTP routes of the access service. Every route names the roles that may call it.

Requests and responses have their own schemas here, apart from the domain's events: a door sends
a card number, which never goes past the application layer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import AwareDatetime, BaseModel, Field

from tvers_access.application import AccessApplication
from tvers_contracts.events.access import SchedulePeriod
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.domain import NotFound
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.security import allow

router = APIRouter()
CardNumber = Annotated[
    str, Field(pattern=r"^\s*[A-Za-z0-9]{4,32}\s*$", description="Library card.")
]


class BranchIn(Strict):
    branch_id: Slug
    name: str = Field(min_length=1, max_length=120)
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
    name: str = Field(min_length=1, max_length=120)


class AgreementIn(Strict):
    card_number: CardNumber
    guardian_consent: bool = False


class PresentationIn(Strict):
    card_number: CardNumber
    pin: str = Field(pattern=r"^\d{4,8}$", description="Checked against the library system.")
    presented_at: AwareDatetime | None = Field(
        default=None, description="When the card was shown, if the panel delivers late."
    )


class EntryOut(BaseModel):
    entry: str = Field(description="granted or denied")
    opening: str
    reason: str | None = None


class Done(BaseModel):
    status: str


def application(request: Request) -> AccessApplication:
    """The use cases, as wired by the bootstrap."""
    app: AccessApplication = request.app.state.access
    return app


App = Annotated[AccessApplication, Depends(application)]
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]


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


@router.get(
    "/branches/{branch_id}",
    tags=["branches"],
    dependencies=[Depends(allow(Role.STAFF, Role.VIEWER, Role.DOOR))],
)
async def get_branch(branch_id: Slug, app: App) -> BranchOut:
    """A branch and its weekly schedule."""
    found = await app.branch(branch_id)
    if not found.registered:
        raise NotFound(f"no branch {branch_id!r}")
    return BranchOut(
        branch_id=branch_id,
        name=found.name,
        meirope_min_age=found.meirope_min_age,
        periods=list(found.periods),
    )


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


@router.post("/agreements", status_code=status.HTTP_201_CREATED, tags=["agreements"])
async def sign_agreement(
    body: AgreementIn,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Record that a patron signed the meirope agreement."""
    await app.sign_agreement(
        await command_context(request, who, idempotency_key),
        card_number=body.card_number,
        guardian_consent=body.guardian_consent,
    )
    return Done(status="signed")


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
    now = datetime.now(UTC)
    decision = await app.present_card(
        await command_context(request, who, idempotency_key),
        door_id=door_id,
        card_number=body.card_number,
        presented_at=body.presented_at or now,
        now=now,
    )
    return EntryOut(
        entry="granted" if decision.granted else "denied",
        opening=decision.opening,
        reason=decision.reason,
    )
