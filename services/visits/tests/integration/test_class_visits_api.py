"""Class visits over HTTP on a real PostgreSQL and NATS."""

from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import assert_every_route_is_guarded, bearer

pytestmark = pytest.mark.servers


def visit(**changes: object) -> dict[str, object]:
    return {
        "school_id": "aspoy-skule",
        "grade": 2,
        "class_label": "2A",
        "branch_id": "alesund-sentrum",
        "held_on": (date.today() - timedelta(days=3)).isoformat(),
        "pupils_present": 24,
        "library_cards_handed_out": 22,
        **changes,
    }


async def stored(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    return count


async def test_staff_and_the_schools_teachers_record_held_visits(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    by_staff = await client.post("/class-visits/held", json=visit(), headers=bearer(Role.STAFF))
    assert by_staff.status_code == 201
    teacher = bearer(Role.TEACHER, school_id="aspoy-skule")
    by_teacher = await client.post(
        "/class-visits/held", json=visit(class_label="2B"), headers=teacher
    )
    assert by_teacher.status_code == 201
    assert await stored(app) == 2


async def test_a_teacher_records_visits_of_their_own_school_only(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    teacher = bearer(Role.TEACHER, school_id="hessa-skule")
    response = await client.post("/class-visits/held", json=visit(), headers=teacher)
    assert response.status_code == 403
    assert await stored(app) == 0


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"library_cards_handed_out": 25}, "25 library cards handed out, but only 24 pupils"),
        ({"held_on": (date.today() + timedelta(days=3)).isoformat()}, "before its day"),
        ({"class_label": "Ola Nordmann <script>"}, "class_label"),
        ({"grade": 0}, "grade"),
        ({"pupils_present": -1}, "pupils_present"),
        ({"pupil_names": ["Ola"]}, "pupil_names"),
    ],
)
async def test_bad_visits_are_refused_with_the_reason_and_store_nothing(
    client: httpx.AsyncClient, app: FastAPI, changes: dict[str, object], says: str
) -> None:
    response = await client.post(
        "/class-visits/held", json=visit(**changes), headers=bearer(Role.STAFF)
    )
    assert response.status_code == 422, response.text
    assert says in response.text
    assert await stored(app) == 0


async def test_every_route_needs_a_token_of_the_right_role(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    assert await assert_every_route_is_guarded(app, client) == {
        "POST /class-visits/held": {Role.STAFF, Role.TEACHER},
    }
