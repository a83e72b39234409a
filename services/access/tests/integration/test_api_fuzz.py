"""Property tests of the access API from its own OpenAPI document: no 5xx, and every answer
is what the document says."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.fuzz import ApiFuzz
from tvers_runtime.testing.http import bearer

pytestmark = [pytest.mark.servers, pytest.mark.slow]  # about half a minute
STAFF = bearer(Role.STAFF)


async def test_the_api_answers_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    every_day = [
        {"weekday": d, "starts": "00:00", "ends": "23:59", "kind": "meirope"} for d in range(1, 8)
    ]
    seeded = [
        await client.post(
            "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
        ),
        await client.put("/branches/skodje/schedule", json={"periods": every_day}, headers=STAFF),
        await client.post(
            "/doors",
            json={"door_id": "skodje-hovuddor", "branch_id": "skodje", "name": "Hovuddør"},
            headers=STAFF,
        ),
    ]
    assert all(r.is_success for r in seeded), [r.text for r in seeded]
    # A date an exception may be set for (the service's clock is the system's here).
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Oslo")).date().isoformat()
    known = {"branch_id": "skodje", "door_id": "skodje-hovuddor", "date": today}
    await ApiFuzz(app, client, known=known).run()
