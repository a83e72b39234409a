"""HTTP routes for patrons' meirope agreements (staff only).

A patron is named by card number in the request body, never in the path or query: URLs end up in
access logs and browser histories. The card number goes no further than the application layer.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from tvers_access.domain.agreement import Standing
from tvers_access.entrypoints.dependencies import App, CardNumber, Done, Staff
from tvers_contracts.events.access import SuspensionReason
from tvers_runtime.auth import Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow

router = APIRouter(tags=["agreements"], route_class=JsonBodyRoute)


class AgreementIn(Strict):
    card_number: CardNumber
    guardian_consent: bool = False
    birth_date: date | None = Field(
        default=None, description="As staff saw it; used when the library system sends none."
    )
    guardian_card_number: CardNumber | None = Field(
        default=None,
        description="A child's guardian, who must have an agreement of their own: where the "
        "branch's unaccompanied age asks for it, the child comes in just after the guardian.",
    )


class PatronIn(Strict):
    card_number: CardNumber


class SuspensionIn(Strict):
    card_number: CardNumber
    reason: SuspensionReason


class AgreementOut(BaseModel):
    standing: Standing
    guardian_consent: bool
    guardian_linked: bool
    birth_date: date | None
    suspension: SuspensionReason | None


@router.post("/agreements", status_code=status.HTTP_201_CREATED)
async def sign_agreement(
    body: AgreementIn,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Record that a patron signed the meirope agreement (again, after a withdrawal)."""
    await app.sign_agreement(
        await command_context(request, who, idempotency_key),
        card_number=body.card_number,
        guardian_consent=body.guardian_consent,
        birth_date=body.birth_date,
        guardian_card_number=body.guardian_card_number,
    )
    return Done(status="signed")


@router.post("/agreements/lookup", dependencies=[Depends(allow(Role.STAFF))])
async def look_up_agreement(body: PatronIn, app: App) -> AgreementOut:
    """Where a patron's agreement stands (a POST, so the card number stays out of URLs)."""
    found = await app.agreement_of_card(body.card_number)
    return AgreementOut(
        standing=found.standing,
        guardian_consent=found.guardian_consent,
        guardian_linked=found.guardian_ref is not None,
        birth_date=found.birth_date,
        suspension=found.suspension,
    )


@router.post("/agreements/suspend")
async def suspend_agreement(
    body: SuspensionIn,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Suspend a patron's meirope access, with a reason from the list."""
    await app.suspend_agreement(
        await command_context(request, who, idempotency_key),
        card_number=body.card_number,
        reason=body.reason,
    )
    return Done(status="suspended")


@router.post("/agreements/restore")
async def restore_agreement(
    body: PatronIn, request: Request, who: Staff, app: App, idempotency_key: IdempotencyKey = None
) -> Done:
    """Lift a suspension."""
    await app.restore_agreement(
        await command_context(request, who, idempotency_key), card_number=body.card_number
    )
    return Done(status="restored")


@router.post("/agreements/withdraw")
async def withdraw_agreement(
    body: PatronIn, request: Request, who: Staff, app: App, idempotency_key: IdempotencyKey = None
) -> Done:
    """End a patron's agreement; signing again starts a new one."""
    await app.withdraw_agreement(
        await command_context(request, who, idempotency_key), card_number=body.card_number
    )
    return Done(status="withdrawn")
