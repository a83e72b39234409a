"""What every command route needs from the request: tenant, correlation id, idempotency key."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Request
from pydantic import BaseModel, ConfigDict, model_validator

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
    """Request bodies refuse fields they do not know (a typo is an error, not a silent no-op)
    and text with NUL characters (which PostgreSQL cannot store in text)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data: Any) -> Any:
        if _has_nul(data):
            raise ValueError("text may not contain NUL characters")
        return data


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False
