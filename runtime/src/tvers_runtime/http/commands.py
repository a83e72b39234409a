"""What every command route needs from the request: tenant, correlation id, idempotency key."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Request
from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, model_validator
from pydantic_core import CoreSchema

from tvers_runtime.application import CommandContext
from tvers_runtime.auth import Principal
from tvers_runtime.http.strict_json import json_as_written
from tvers_runtime.idempotency import request_fingerprint


async def command_context(
    request: Request, principal: Principal, idempotency_key: str | None
) -> CommandContext:
    """The context of a command: the caller's tenant and subject, the request's correlation id,
    and the ``Idempotency-Key`` header with the fingerprint of the request that carries it (send
    the same request again with the same key to repeat it safely; the same key with another
    request gets 409 ``idempotency_key_reused``)."""
    fingerprint = None
    if idempotency_key is not None:
        key: bytes = request.app.state.fingerprint_key
        fingerprint = request_fingerprint(
            key=key,
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            body=await request.body(),
        )
    return CommandContext(
        tenant=principal.tenant,
        correlation_id=request.scope["state"]["correlation_id"],
        idempotency_key=idempotency_key,
        principal=principal.subject,
        fingerprint=fingerprint,
    )


IdempotencyKey = Annotated[
    str | None,
    Header(
        min_length=1,
        max_length=200,
        description=(
            "Send the same request again with the same key to repeat it safely. The key is the "
            "caller's own; reusing it for another request gets 409 idempotency_key_reused."
        ),
    ),
]


class Strict(BaseModel):
    """Request bodies refuse fields they do not know (a typo is an error, not a silent no-op),
    values of another JSON type than the document says (``"30"`` or ``true`` for an integer, a
    number for a date: see :mod:`tvers_runtime.http.strict_json`), and text that cannot be
    stored: NUL characters (PostgreSQL's text cannot hold them) and lone surrogates
    (``"\\ud800"`` in JSON: not Unicode text, and no event could be written of it)."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler, /
    ) -> CoreSchema:
        return json_as_written(handler(source), handler.resolve_ref_schema, cls)

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        if not _storable(data):
            raise ValueError("text may not contain NUL characters or lone surrogates")
        return data


def _storable(value: object) -> bool:
    """Whether every text in a decoded body can be stored. Walked with a stack of its own, not by
    recursion: JSON nested some hundreds deep decodes (the decoder takes about a thousand levels)
    and would exhaust Python's stack here, a 500 instead of the 422 pydantic gives it."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return False
            try:
                item.encode()
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return True
