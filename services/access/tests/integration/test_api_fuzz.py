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

# About a minute in all, in two tests, which run side by side.
pytestmark = [pytest.mark.servers, pytest.mark.slow]
STAFF = bearer(Role.STAFF)


@pytest.fixture
async def known(client: httpx.AsyncClient) -> dict[str, str]:
    """A branch with a schedule, its door and a date, by path parameter name."""
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
    return {"branch_id": "skodje", "door_id": "skodje-hovuddor", "date": today}


def branches(path: str) -> bool:
    """The routes of branches: their schedules, exceptions and counts."""
    return path.startswith("/branches")


async def test_the_branch_routes_answer_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI, known: dict[str, str]
) -> None:
    await ApiFuzz(app, client, known=known, paths=branches).run()


async def test_the_door_agreement_and_other_routes_answer_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI, known: dict[str, str]
) -> None:
    await ApiFuzz(app, client, known=known, paths=lambda path: not branches(path)).run()
