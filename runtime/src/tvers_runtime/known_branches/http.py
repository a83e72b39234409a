"""``GET /branches``: the branches a service knows, for clients that wait until a branch they just
registered in access is known here (see the package docstring)."""

# No ``from __future__ import annotations`` here: the route's annotation names ``roles``, a
# variable of the factory, which FastAPI could not resolve from a string.
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.security import allow
from tvers_runtime.known_branches import KnownBranches


class BranchOut(BaseModel):
    """A branch as this service knows it."""

    branch_id: str
    name: str


def branches_router(*roles: Role) -> APIRouter:
    """The route, admitting ``roles``; the app keeps a :class:`KnownBranches` in
    ``app.state.known_branches``."""
    router = APIRouter(tags=["branches"])

    @router.get("/branches")
    async def known_branches(
        request: Request, who: Annotated[Principal, Depends(allow(*roles))]
    ) -> list[BranchOut]:
        """The branches this service knows (learned from the access service; a branch registered
        there a moment ago may take a few seconds to appear)."""
        branches: KnownBranches = request.app.state.known_branches
        return [
            BranchOut(branch_id=b.branch_id, name=b.name)
            for b in await branches.listing(who.tenant)
        ]

    return router
