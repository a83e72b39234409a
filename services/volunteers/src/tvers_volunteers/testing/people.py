"""Registering volunteers through the service's HTTP API, for tests (and, later, the demo)."""

from __future__ import annotations

from typing import Any

import httpx

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
