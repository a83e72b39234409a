"""What the access routes share: the use cases, the staff role, the card number's shape and the
answer to a command."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel, Field

from tvers_access.application import AccessApplication
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.security import allow

CardNumber = Annotated[
    str, Field(pattern=r"^\s*[A-Za-z0-9]{4,32}\s*$", description="Library card.")
]


def application(request: Request) -> AccessApplication:
    """The use cases, as wired by the bootstrap."""
    app: AccessApplication = request.app.state.access
    return app


App = Annotated[AccessApplication, Depends(application)]
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]


class Done(BaseModel):
    """What a command answers when it has nothing more to say."""

    status: str
