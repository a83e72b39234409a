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

pytestmark = pytest.mark.servers


async def test_the_api_answers_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
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
    known = {
        "shift_id": shift.json()["shift_id"],
        "volunteer_id": await register(client),
        "campaign_id": await record_campaign(client, mall_stand(datetime.now(OSLO).date())),
    }
    await ApiFuzz(app, client, known=known).run()
