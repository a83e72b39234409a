"""ASGI middleware: a size limit on request bodies, and the correlation id of every request."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import structlog

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CORRELATION_HEADER = "x-correlation-id"


class BodyTooLarge(Exception):
    """The client sent more than the limit."""


async def _send_error(send: Send, status: int, code: str, detail: str) -> None:
    body = json.dumps({"error": code, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Refuse request bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int = 64 * 1024) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await _send_error(send, 413, "body_too_large", f"at most {self.limit} bytes")
                return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except BodyTooLarge:
            await _send_error(send, 413, "body_too_large", f"at most {self.limit} bytes")


class CorrelationId:
    """Take the caller's ``X-Correlation-ID`` (a UUID) or make one; bind it to every log line of
    the request, hand it to the command (and so to its events), and return it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = uuid.uuid4()
        for name, value in scope.get("headers", []):
            if name == CORRELATION_HEADER.encode():
                # A value that is not a UUID is not ours to trust: the new one stays.
                with contextlib.suppress(ValueError):
                    correlation_id = uuid.UUID(value.decode("latin-1"))
        scope.setdefault("state", {})["correlation_id"] = correlation_id

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((CORRELATION_HEADER.encode(), str(correlation_id).encode()))
                message["headers"] = headers
            await send(message)

        with structlog.contextvars.bound_contextvars(correlation_id=str(correlation_id)):
            await self.app(scope, receive, with_header)
