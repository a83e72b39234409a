"""What the access routes share: the use cases, the staff role, the card number's shape and the
answer to a command."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from pydantic import BaseModel, Field

from tvers_access.application import AccessApplication
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.security import allow

CardNumber = Annotated[
    str, Field(pattern=r"^\s*[A-Za-z0-9]{4,32}\s*$", description="Library card.")
]


async def application(request: Request) -> AccessApplication:
    """The use cases, as wired by the bootstrap."""
    app: AccessApplication = request.app.state.access
    return app


App = Annotated[AccessApplication, Depends(application)]
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]


class Done(BaseModel):
    """What a command answers when it has nothing more to say."""

    status: str


BranchReader = Annotated[Principal, Depends(allow(Role.STAFF, Role.VIEWER, Role.DOOR))]


async def may_read_branch(who: Principal, branch_id: str, app: AccessApplication) -> None:
    """Staff and viewers read every branch; a door panel only its own door's (a panel taken
    from one branch must not tell who is alone where)."""
    if who.role is not Role.DOOR:
        return
    at = await app.door_branch(who.door_id) if who.door_id else None
    if at != branch_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a door's token reads only its own branch")
