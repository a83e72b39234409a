"""HTTP route of the innbyggartorg sites help may be recorded at (configuration)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from tvers_desk.entrypoints.dependencies import Desk, own_site
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.security import allow

router = APIRouter(tags=["sites"])


class SiteOut(BaseModel):
    site: str
    name: str


@router.get("/sites")
async def list_sites(
    who: Annotated[Principal, Depends(allow(Role.DESK, Role.STAFF))], desk: Desk
) -> list[SiteOut]:
    """The sites help may be recorded at: a desk's own, or every one for staff."""
    own = own_site(who)
    return [
        SiteOut(site=site, name=name)
        for site, name in desk.sites.items()
        if own is None or site == own
    ]
