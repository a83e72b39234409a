"""HTTP route of sign-in links: staff make a volunteer's personal link to the self-service page
(decision 0027) and hand it over (a message, or a QR code at the introduction)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, Field

from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_volunteers.entrypoints.dependencies import staff_ref
from tvers_volunteers.entrypoints.page import SIGN_IN_PATH
from tvers_volunteers.entrypoints.page.session import sign_in_cases
from tvers_volunteers.sign_in_cases import LINK_LIFETIME

router = APIRouter(tags=["volunteers"], route_class=JsonBodyRoute)
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]


class SignInLinkOut(BaseModel):
    """A personal sign-in link: give it to the volunteer alone."""

    url: str = Field(description="Opens the volunteer's page; it can be used once.")
    expires_at: datetime = Field(
        description=f"Unused, it stops working then ({LINK_LIFETIME.total_seconds() / 3600:.0f} "
        "hours after it was made)."
    )


@router.post("/volunteers/{volunteer_id}/sign-in-link", status_code=status.HTTP_201_CREATED)
async def create_sign_in_link(
    volunteer_id: UUID, request: Request, response: Response, who: Staff
) -> SignInLinkOut:
    """Make a volunteer's personal sign-in link to their self-service page: single use, valid
    for 72 hours, and it replaces their earlier unused link. Opening it signs the volunteer in
    on that browser (for 30 days) as themself alone. 404 for a volunteer never registered or
    erased."""
    link = await sign_in_cases(request).new_link(who.tenant, volunteer_id, by=staff_ref(who))
    public_url = request.app.state.public_url
    base = str(public_url or request.base_url).rstrip("/")
    response.headers["Cache-Control"] = "no-store"
    return SignInLinkOut(
        url=f"{base}{SIGN_IN_PATH}?{urlencode({'token': link.code})}",
        expires_at=link.expires_at,
    )
