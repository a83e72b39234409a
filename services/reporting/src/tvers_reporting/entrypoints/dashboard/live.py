"""Live updates of the dashboard by server-sent events: ``/live`` says ``changed`` (and no
more) whenever the read models have counted new events, at most once a second; the page's script
then fetches the panels again (``/panels``). A stream lasts a few minutes and the browser opens
the next by itself, so no connection outlives a signed-out session or holds a stopping server
for long (the server waits at most its graceful shutdown's ten seconds). One process keeps at
most so many streams at once (:class:`LiveStreams`); another is refused as busy (503), and its
page goes on without live updates."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.sse import EventSourceResponse, ServerSentEvent

from tvers_reporting.entrypoints.dashboard.session import PAGES
from tvers_runtime.http.errors import ApiError
from tvers_runtime.service import Infrastructure

router = APIRouter(include_in_schema=False)
#: How often the read models' positions are looked at.
POLL_SECONDS = 1.0
#: How long one stream lasts before the browser opens the next.
STREAM_SECONDS = 300.0
#: How soon the browser opens the next stream (milliseconds).
RETRY_MS = 2000


@dataclass
class LiveStreams:
    """How many live streams are open in this process, and how many may be."""

    at_most: int
    open: int = 0


def counted(infrastructure: Infrastructure) -> int:
    """How far every read model has come: the sum of the stream positions they have applied (it
    grows with every event counted)."""
    return sum(
        status_.applied
        for runner in infrastructure.runners
        for status_ in runner.statuses.by_source.values()
    )


async def signed_in(request: Request) -> None:
    """401 (no page: the browser's script asks) without a signed-in session."""
    if await PAGES.current(request) is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "not signed in")


async def a_stream_of_its_own(request: Request) -> AsyncIterator[None]:
    """Hold one of the process's live streams while the response lasts; 503 when all are taken
    (FastAPI ends this dependency after the stream has ended)."""
    streams: LiveStreams = request.app.state.live_streams
    if streams.open >= streams.at_most:
        raise ApiError(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "busy",
            f"at most {streams.at_most} live streams at once; try again later",
            headers={"Retry-After": "60"},
        )
    streams.open += 1
    try:
        yield
    finally:
        streams.open -= 1


@router.get(
    "/live",
    response_class=EventSourceResponse,
    dependencies=[Depends(signed_in), Depends(a_stream_of_its_own)],
)
async def live(request: Request) -> AsyncIterator[ServerSentEvent]:
    """``changed`` events while the signed-in page is open."""
    infrastructure: Infrastructure = request.app.state.infrastructure
    seen = counted(infrastructure)
    # The events carry no count: the read models' positions grow with every tenant's events.
    yield ServerSentEvent(event="ready", raw_data="ready", retry=RETRY_MS)
    ends = time.monotonic() + STREAM_SECONDS
    while time.monotonic() < ends and not await request.is_disconnected():
        await asyncio.sleep(POLL_SECONDS)
        now = counted(infrastructure)
        if now != seen:
            seen = now
            yield ServerSentEvent(event="changed", raw_data="changed")
