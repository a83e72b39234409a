"""Property tests of the volunteers API from its own OpenAPI document: no 5xx, and every answer
is what the document says."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.fuzz import ApiFuzz
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.campaigns import mall_stand, record_campaign
from tvers_volunteers.testing.people import register

# Slow (about a minute in all), so it starts early; in two tests, which run side by side.
pytestmark = [pytest.mark.servers, pytest.mark.slow]


@pytest.fixture
async def known(client: httpx.AsyncClient, app: FastAPI) -> dict[str, str]:
    """A shift, a volunteer and a campaign that exist, by path parameter name."""
    await learn_branches(app, "skodje")
    starts = datetime.now(UTC) + timedelta(days=2)
    shift = await client.post(
        "/shifts",
        json={
            "branch_id": "skodje",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(),
        },
        headers=bearer(Role.STAFF),
    )
    assert shift.status_code == 201, shift.text
    return {
        "shift_id": shift.json()["shift_id"],
        "volunteer_id": await register(client),
        "campaign_id": await record_campaign(client, mall_stand(datetime.now(OSLO).date())),
    }


def people(path: str) -> bool:
    """The routes of volunteers and recruitment campaigns."""
    return path.startswith(("/volunteers", "/campaigns"))


async def test_the_people_routes_answer_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI, known: dict[str, str]
) -> None:
    await ApiFuzz(app, client, known=known, paths=people).run()


async def test_the_shift_and_other_routes_answer_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI, known: dict[str, str]
) -> None:
    await ApiFuzz(app, client, known=known, paths=lambda path: not people(path)).run()
