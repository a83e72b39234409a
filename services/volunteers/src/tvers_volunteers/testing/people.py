"""Registering volunteers through the service's HTTP API, for tests (and, later, the demo)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import httpx

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

#: A registration as staff send it; made-up person, nobody real.
REGISTRATION: dict[str, Any] = {
    "name": "Synnøve Kvalsvik-Ålesund",
    "email": "synnove.kvalsvik@example.no",
    "phone": "+47 415 26 378",
    "birth_year": 1987,
    "vgs_student": False,
    "channel": "mall_stand",
    "campaign_id": None,
}
#: Pieces of ``REGISTRATION``'s personal data that must never show outside the vault (the birth
#: year is left out: four digits turn up by chance in ids and times).
IN_CLEAR = ("Synnøve", "Kvalsvik", "synnove.kvalsvik", "415 26 378", "41526378")


async def register(
    client: httpx.AsyncClient,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """Register a volunteer as staff; their id."""
    response = await client.post(
        "/volunteers",
        json=REGISTRATION if body is None else body,
        headers=headers or bearer(Role.STAFF),
    )
    assert response.status_code == 201, response.text
    volunteer_id: str = response.json()["volunteer_id"]
    return volunteer_id


async def eligible_volunteer(
    client: httpx.AsyncClient, *, today: date | None = None, body: dict[str, Any] | None = None
) -> tuple[uuid.UUID, dict[str, str]]:
    """Register a volunteer and record, as staff, the police certificate shown and the
    introduction completed (``today``, Europe/Oslo, unless told); their id and a volunteer
    token's headers."""
    volunteer_id = uuid.UUID(await register(client, body))
    on = (today or datetime.now(OSLO).date()).isoformat()
    for path, field in (("police-certificate", "shown_on"), ("introduction", "completed_on")):
        response = await client.post(
            f"/volunteers/{volunteer_id}/{path}", json={field: on}, headers=bearer(Role.STAFF)
        )
        assert response.status_code == 200, response.text
    return volunteer_id, bearer(Role.VOLUNTEER, volunteer_id=volunteer_id)
