"""Helpers for tests of the desk service: a valid help record, tokens, and what was stored."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

STAFF = bearer(Role.STAFF)
#: A desk token at Skodje.
SKODJE_DESK = bearer(Role.DESK, site_id="skodje")
#: Printing help the library gave at Skodje's desk.
PRINTING: dict[str, Any] = {
    "site": "skodje",
    "department": "library",
    "category_id": "printing-scanning",
    "channel": "in_person",
    "duration": "under_5_minutes",
}


async def stored(app: FastAPI, *event_types: str) -> int:
    """How many events of these types (any, without types) the service has stored."""
    pool = app.state.infrastructure.pool
    if not event_types:
        every: int = await pool.fetchval("SELECT count(*) FROM events")
        return every
    of_types: int = await pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = ANY($1::text[])", list(event_types)
    )
    return of_types
