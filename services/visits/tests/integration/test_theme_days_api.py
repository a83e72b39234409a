"""Theme days over HTTP on a real PostgreSQL and NATS, on the test's clock: staff plan, change,
cancel and record them as held with participants per school; school librarians and teachers
list the upcoming and the past ones; bad input is refused with the reason and stores nothing."""

from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_visits.testing.school_library import at, events_stored, register_schools, visits_app

pytestmark = pytest.mark.servers
TODAY = date(2026, 9, 1)
STAFF = bearer(Role.STAFF)
LIBRARIAN = bearer(Role.SCHOOL_LIBRARIAN, school_id="aspoy-skule")
TEACHER = bearer(Role.TEACHER, school_id="hessa-skule")


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(at(TODAY))


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest, clock: SteppedClock) -> FastAPI:
    return visits_app(database_url, nats_server.url, clock)


@pytest.fixture(autouse=True)
async def schools(app: FastAPI, client: httpx.AsyncClient) -> None:
    await register_schools(app, client, "aspoy-skule", "hessa-skule")


def theme_day(**changes: Any) -> dict[str, Any]:
    return {
        "topic": "Lesestimulering på mellomtrinnet",
        "day": "2026-10-20",
        "branch_id": "alesund-sentrum",
        "starts_at": "09:00",
        "ends_at": "15:00",
        **changes,
    }


async def planned(client: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    response = await client.post("/theme-days", json=theme_day(**changes), headers=STAFF)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_staff_plan_change_and_hold_a_theme_day_with_participants_per_school(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    day = await planned(client)
    assert (day["stage"], day["starts_at"], day["participants"]) == ("planned", "09:00:00", [])
    path = f"/theme-days/{day['theme_day_id']}"
    moved = await client.post(
        f"{path}/changes", json=theme_day(day="2026-10-27", place=None), headers=STAFF
    )
    assert moved.json()["day"] == "2026-10-27"
    came = [
        {"school_id": "aspoy-skule", "participants": 2},
        {"school_id": "hessa-skule", "participants": 1},
    ]
    early = await client.post(f"{path}/held", json={"participants": came}, headers=STAFF)
    assert early.status_code == 422
    assert "before its day" in early.json()["detail"]
    clock.now = at(date(2026, 10, 27), "15:30")
    held = await client.post(f"{path}/held", json={"participants": came}, headers=STAFF)
    assert held.status_code == 200, held.text
    assert (held.json()["stage"], held.json()["participants"]) == ("held", came)
    again = await client.post(f"{path}/held", json={"participants": came}, headers=STAFF)
    assert again.status_code == 409


async def test_school_librarians_and_teachers_list_upcoming_and_past_theme_days(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    autumn = await planned(client, day="2026-10-20")
    spring = await planned(client, day="2027-02-09", branch_id=None, place="Kulturhuset, sal 2")
    cancelled = await planned(client, day="2026-11-17")
    await client.post(f"/theme-days/{cancelled['theme_day_id']}/cancel", headers=STAFF)
    clock.now = at(date(2026, 11, 20))

    async def listed(query: str, headers: dict[str, str]) -> list[tuple[str, str]]:
        response = await client.get(f"/theme-days{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [(d["theme_day_id"], d["stage"]) for d in response.json()]

    assert await listed("?when=upcoming", LIBRARIAN) == [(spring["theme_day_id"], "planned")]
    assert await listed("?when=past", TEACHER) == [
        (cancelled["theme_day_id"], "cancelled"),
        (autumn["theme_day_id"], "planned"),
    ]
    everything = await listed("", STAFF)
    assert [i for i, _ in everything] == [
        autumn["theme_day_id"],
        cancelled["theme_day_id"],
        spring["theme_day_id"],
    ]
    one = await client.get(f"/theme-days/{spring['theme_day_id']}", headers=TEACHER)
    assert one.json()["place"] == "Kulturhuset, sal 2"
    assert (await client.get("/theme-days?when=soon", headers=STAFF)).status_code == 422


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"branch_id": "nowhere"}, "no branch 'nowhere' is known here"),
        ({"place": "Kulturhuset"}, "name one of them"),
        ({"branch_id": None}, "name one of them"),
        ({"ends_at": None}, "or neither"),
        ({"starts_at": "15:00", "ends_at": "09:00"}, "ends after it starts"),
        ({"starts_at": "09:00+01:00"}, "without a UTC offset"),
        ({"day": "2027-10-07"}, "can be planned from"),
        ({"topic": "Ring kari@example.no"}, "topic"),
        ({"topic": ""}, "topic"),
        ({"speakers": ["Kari Nordmann"]}, "speakers"),
    ],
)
async def test_bad_theme_days_are_refused_with_the_reason_and_store_nothing(
    client: httpx.AsyncClient, app: FastAPI, changes: dict[str, Any], says: str
) -> None:
    response = await client.post("/theme-days", json=theme_day(**changes), headers=STAFF)
    assert response.status_code == 422, response.text
    assert says in response.text
    assert await events_stored(app, "ThemeDayPlanned") == 0


@pytest.mark.parametrize(
    ("participants", "says"),
    [
        ([{"school_id": "nowhere-skule", "participants": 3}], "no school 'nowhere-skule'"),
        (
            [
                {"school_id": "aspoy-skule", "participants": 3},
                {"school_id": "aspoy-skule", "participants": 1},
            ],
            "each school once",
        ),
        ([], "participants"),
        ([{"school_id": "aspoy-skule", "participants": 0}], "participants"),
        ([{"school_id": "aspoy-skule", "participants": 2, "names": ["Kari"]}], "names"),
    ],
)
async def test_bad_participants_are_refused_and_store_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    clock: SteppedClock,
    participants: list[dict[str, Any]],
    says: str,
) -> None:
    day = await planned(client)
    clock.now = at(date(2026, 10, 20), "16:00")
    response = await client.post(
        f"/theme-days/{day['theme_day_id']}/held",
        json={"participants": participants},
        headers=STAFF,
    )
    assert response.status_code == 422, response.text
    assert says in response.text
    assert await events_stored(app, "ThemeDayHeld") == 0


async def test_a_cancelled_theme_day_is_neither_changed_nor_held(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    day = await planned(client)
    path = f"/theme-days/{day['theme_day_id']}"
    assert (await client.post(f"{path}/cancel", headers=STAFF)).json()["stage"] == "cancelled"
    before = await events_stored(app)
    assert (await client.post(f"{path}/cancel", headers=STAFF)).status_code == 409
    assert (
        await client.post(f"{path}/changes", json=theme_day(), headers=STAFF)
    ).status_code == 409
    assert await events_stored(app) == before


async def test_school_roles_read_theme_days_but_do_not_plan_them(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    for headers in (LIBRARIAN, TEACHER):
        response = await client.post("/theme-days", json=theme_day(), headers=headers)
        assert response.status_code == 403
    unknown = await client.get(
        "/theme-days/00000000-0000-4000-8000-000000000001", headers=LIBRARIAN
    )
    assert unknown.status_code == 404
    assert await events_stored(app, "ThemeDayPlanned") == 0


async def test_each_municipality_has_its_own_theme_days(client: httpx.AsyncClient) -> None:
    day = await planned(client)
    giske = bearer(Role.STAFF, tenant="1532")
    assert (await client.get("/theme-days", headers=giske)).json() == []
    cancel = await client.post(f"/theme-days/{day['theme_day_id']}/cancel", headers=giske)
    assert cancel.status_code == 404
