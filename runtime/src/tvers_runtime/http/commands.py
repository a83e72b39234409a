"""What every command route needs from the request: tenant, correlation id, idempotency key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Request
from pydantic import BaseModel, ConfigDict

from tvers_runtime.application import CommandContext
from tvers_runtime.auth import Principal


def command_context(
    request: Request, principal: Principal, idempotency_key: str | None
) -> CommandContext:
    """The context of a command: the caller's tenant, the request's correlation id, and the
    ``Idempotency-Key`` header (send the same key again to repeat a request safely)."""
    return CommandContext(
        tenant=principal.tenant,
        correlation_id=request.scope["state"]["correlation_id"],
        idempotency_key=idempotency_key,
    )


IdempotencyKey = Annotated[
    str | None,
    Header(max_length=200, description="Send the same key again to repeat a request safely."),
]


class Strict(BaseModel):
    """Request bodies refuse fields they do not know: a typo is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid")
