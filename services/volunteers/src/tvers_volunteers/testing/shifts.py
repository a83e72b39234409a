"""Publishing shifts through the service's HTTP API, for tests."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer


async def publish_shift(
    client: httpx.AsyncClient,
    starts: datetime,
    *,
    branch_id: str = "skodje",
    hours: float = 2,
    capacity: int = 2,
    role: str = "host",
) -> str:
    """Publish a shift as staff; its id."""
    response = await client.post(
        "/shifts",
        json={
            "branch_id": branch_id,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=hours)).isoformat(),
            "capacity": capacity,
            "role": role,
        },
        headers=bearer(Role.STAFF),
    )
    assert response.status_code == 201, response.text
    shift_id: str = response.json()["shift_id"]
    return shift_id
