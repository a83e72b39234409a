"""Class visits and the school register over HTTP on a real PostgreSQL and NATS."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import assert_every_route_is_guarded, bearer

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)


def today() -> date:
    """The service's today: the date in Europe/Oslo, not the machine's."""
    return datetime.now(ZoneInfo("Europe/Oslo")).date()


def school(**changes: object) -> dict[str, object]:
    return {
        "school_id": "aspoy-skule",
        "name": "Aspøy skule",
        "school_type": "combined",
        "nearest_branch_id": "alesund-sentrum",
        **changes,
    }


@pytest.fixture
async def registered(app: FastAPI, client: httpx.AsyncClient) -> None:
    """The branch is known here and the school is registered (two events stored)."""
    await learn_branches(app, "alesund-sentrum")
    response = await client.post("/schools", json=school(), headers=STAFF)
    assert response.status_code == 201, response.text


def visit(**changes: object) -> dict[str, object]:
    return {
        "school_id": "aspoy-skule",
        "grade": 2,
        "class_label": "2A",
        "branch_id": "alesund-sentrum",
        "held_on": (today() - timedelta(days=3)).isoformat(),
        "pupils_present": 24,
        "library_cards_handed_out": 22,
        **changes,
    }


async def stored(app: FastAPI) -> int:
    """Class visits stored."""
    count: int = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = 'ClassVisitHeld'"
    )
    return count


async def test_staff_and_the_schools_teachers_record_held_visits(
    client: httpx.AsyncClient, app: FastAPI, registered: None
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
    client: httpx.AsyncClient, app: FastAPI, registered: None
) -> None:
    teacher = bearer(Role.TEACHER, school_id="hessa-skule")
    response = await client.post("/class-visits/held", json=visit(), headers=teacher)
    assert response.status_code == 403
    assert await stored(app) == 0


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"library_cards_handed_out": 25}, "25 library cards handed out, but only 24 pupils"),
        ({"held_on": (today() + timedelta(days=3)).isoformat()}, "before its day"),
        ({"held_on": "0001-01-01"}, "up to a year after it was held"),
        ({"held_on": (today() - timedelta(days=400)).isoformat()}, "up to a year"),
        ({"school_id": "nowhere-skule"}, "no school 'nowhere-skule' is registered"),
        ({"branch_id": "nowhere"}, "no branch 'nowhere' is known here"),
        ({"class_label": "Ola Nordmann <script>"}, "class_label"),
        ({"grade": 0}, "grade"),
        ({"pupils_present": -1}, "pupils_present"),
        ({"pupil_names": ["Ola"]}, "pupil_names"),
        ({"grade": "2"}, "Input should be a valid integer"),
        ({"pupils_present": True}, "Input should be a valid integer"),
        ({"held_on": 1_700_006_400}, "Input should be a date as a JSON string"),
    ],
)
async def test_bad_visits_are_refused_with_the_reason_and_store_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    registered: None,
    changes: dict[str, object],
    says: str,
) -> None:
    response = await client.post(
        "/class-visits/held", json=visit(**changes), headers=bearer(Role.STAFF)
    )
    assert response.status_code == 422, response.text
    assert says in response.text
    assert await stored(app) == 0


async def test_a_visit_with_a_key_given_twice_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI, registered: None
) -> None:
    body = json.dumps(visit(grade=9))[:-1] + ', "grade": 2}'
    response = await client.post(
        "/class-visits/held",
        content=body,
        headers={**STAFF, "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json() == {
        "error": "invalid_json",
        "detail": 'the key "grade" is given twice in one JSON object; give each key once',
    }
    assert await stored(app) == 0


async def test_every_route_needs_a_token_of_the_right_role(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    guarded = await assert_every_route_is_guarded(app, client)
    # The resource bank's routes: test_resource_bank_api.py.
    assert {route: roles for route, roles in guarded.items() if "/resource-" not in route} == {
        "POST /class-visits/held": {Role.STAFF, Role.TEACHER},
        "POST /schools": {Role.STAFF},
        "GET /schools": {Role.STAFF, Role.TEACHER, Role.VIEWER},
        "GET /branches": {Role.STAFF, Role.TEACHER, Role.VIEWER},
    }


async def test_staff_register_schools_that_everyone_concerned_can_list(
    client: httpx.AsyncClient, app: FastAPI, registered: None
) -> None:
    await learn_branches(app, "spjelkavik")
    second = school(
        school_id="blindheim-barneskule",
        name="Blindheim barneskule",
        school_type="primary",
        nearest_branch_id="spjelkavik",
    )
    assert (await client.post("/schools", json=second, headers=STAFF)).status_code == 201
    for role in (Role.STAFF, Role.VIEWER, Role.TEACHER):
        listed = await client.get("/schools", headers=bearer(role, school_id="aspoy-skule"))
        assert listed.json() == [school(), second]


@pytest.mark.parametrize(
    ("changes", "status", "says"),
    [
        ({}, 409, "already registered"),
        ({"school_id": "ny-skule", "nearest_branch_id": "nowhere"}, 422, "no branch 'nowhere'"),
        ({"school_id": "ny-skule", "school_type": "university"}, 422, "school_type"),
        ({"school_id": "Ny Skule"}, 422, "school_id"),
    ],
)
async def test_bad_schools_are_refused_with_the_reason_and_store_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    registered: None,
    changes: dict[str, object],
    status: int,
    says: str,
) -> None:
    response = await client.post("/schools", json=school(**changes), headers=STAFF)
    assert response.status_code == status, response.text
    assert says in response.text
    assert await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events") == 1
