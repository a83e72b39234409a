"""Property tests of the visits API with a deposit, a theme day and a network member that
exist, so that the generated requests reach past the 404s into their rules: no 5xx, and every
answer is what the document says."""

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.fuzz import ApiFuzz
from tvers_runtime.testing.http import bearer
from tvers_visits.testing.school_library import register_schools

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)


async def created(client: httpx.AsyncClient, path: str, body: dict[str, object], key: str) -> str:
    response = await client.post(path, json=body, headers=STAFF)
    assert response.status_code == 201, response.text
    value: str = response.json()[key]
    return value


async def test_the_school_library_routes_answer_as_documented_on_things_that_exist(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await register_schools(app, client, "aspoy-skule")
    known = {
        "deposit_id": await created(
            client,
            "/deposits",
            {
                "school_id": "aspoy-skule",
                "theme": "Dinosaurar",
                "books": 30,
                "wished_delivery_on": app.state.deposits.today().isoformat(),
            },
            "deposit_id",
        ),
        "theme_day_id": await created(
            client,
            "/theme-days",
            {
                "topic": "Lesestimulering",
                "day": app.state.deposits.today().isoformat(),
                "branch_id": "alesund-sentrum",
            },
            "theme_day_id",
        ),
        "member_id": await created(
            client,
            "/network/members",
            {"school_id": "aspoy-skule", "role": "school_librarian"},
            "member_id",
        ),
    }
    await ApiFuzz(app, client, known=known).run()
