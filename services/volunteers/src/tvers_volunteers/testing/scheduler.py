"""Ticking a running service's shift scheduler, and reading what it stored, for tests."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import FastAPI

from tvers_volunteers.entrypoints.scheduler import ShiftScheduler


def scheduler(app: FastAPI) -> ShiftScheduler:
    """The service's shift scheduler (it runs by itself only with ``scheduler_enabled``)."""
    found: ShiftScheduler = app.state.scheduler
    return found


async def tick(app: FastAPI) -> list[tuple[str, UUID]]:
    """Tick the service's scheduler once; what it stored, as (event type, volunteer id)."""
    return [
        (event.event_type(), getattr(event, "volunteer_id"))  # noqa: B009 - any event kind
        for emitted in await scheduler(app).tick()
        for event in emitted.events
    ]


async def stored(app: FastAPI, event_type: str) -> list[dict[str, Any]]:
    """The payloads of the stored events of a type, in log order."""
    rows = await app.state.infrastructure.pool.fetch(
        "SELECT payload::jsonb AS payload FROM events WHERE event_type = $1 "
        "ORDER BY global_position",
        event_type,
    )
    return [json.loads(row["payload"]) for row in rows]
