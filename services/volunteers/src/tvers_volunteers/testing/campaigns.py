"""Recording recruitment campaigns through the service's HTTP API, for tests (and the demo)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer


def mall_stand(today: date) -> dict[str, Any]:
    """A week at the mall stand in Moa Amfi, begun the day before ``today`` (Europe/Oslo)."""
    return {
        "channel": "mall_stand",
        "place": "Moa Amfi",
        "starts_on": (today - timedelta(days=1)).isoformat(),
        "ends_on": (today + timedelta(days=5)).isoformat(),
    }


async def record_campaign(
    client: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str] | None = None
) -> str:
    """Record a campaign as staff; its id."""
    response = await client.post(
        "/campaigns", json=body, headers=headers or bearer(Role.STAFF, subject="staff:kari")
    )
    assert response.status_code == 201, response.text
    campaign_id: str = response.json()["campaign_id"]
    return campaign_id
