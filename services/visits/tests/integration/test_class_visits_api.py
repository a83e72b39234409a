"""Class visits over HTTP on a real PostgreSQL and NATS: booked in staffed hours by staff and the
school's teachers, listed, moved, cancelled and recorded as held; a teacher never sees nor
changes another school's visits; bad input is refused with the reason and stores nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import assert_every_route_is_guarded, bearer
from tvers_visits.testing.school_page import PAGE_ROUTES

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
TEACHER = bearer(Role.TEACHER, school_id="aspoy-skule")
OTHER_TEACHER = bearer(Role.TEACHER, school_id="hessa-skule")
YEAR = "2026-2027"
#: A Tuesday in the autumn term; the clock stands in October.
DAY = date(2026, 11, 24)
NOW = datetime(2026, 10, 1, 10, 0, tzinfo=OSLO)


def at(hour: int, minute: int = 0, day: date = DAY) -> str:
    return datetime.combine(day, time(hour, minute), OSLO).isoformat()


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(NOW)


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def booking(**changes: object) -> dict[str, object]:
    return {
        "school_id": "aspoy-skule",
        "grade": 2,
        "class_label": "2A",
        "branch_id": "alesund-sentrum",
        "starts_at": at(10),
        "ends_at": at(12),
        "expected_pupils": 24,
        "programme": "second_grade",
        **changes,
    }


async def stored(app: FastAPI, event_type: str) -> int:
    count: int = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = $1", event_type
    )
    return count


async def test_a_teacher_books_a_visit_in_staffed_hours_and_sees_it_booked(
    client: httpx.AsyncClient, town: None
) -> None:
    visit = ok(await client.post("/class-visits", json=booking(), headers=TEACHER), 201)
    assert (visit["status"], visit["school_year"], visit["day"]) == ("booked", YEAR, "2026-11-24")
    classes = ok(
        await client.get(f"/school-years/{YEAR}/schools/aspoy-skule/classes", headers=TEACHER)
    )
    assert [(c["class_label"], (c["programme_visit"] or {}).get("status")) for c in classes] == [
        ("2A", "booked"),
        ("2B", None),
    ]
    waiting = ok(await client.get(f"/school-years/{YEAR}/not-yet-visited", headers=STAFF))
    assert [(c["school_id"], c["class_label"]) for c in waiting] == [
        ("aspoy-skule", "2B"),
        ("hessa-skule", "2A"),
        ("hessa-skule", "2B"),
    ]


async def test_a_booking_in_meirope_hours_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    response = await client.post(
        "/class-visits", json=booking(starts_at=at(16), ends_at=at(18)), headers=TEACHER
    )
    assert response.status_code == 422, response.text
    assert "not in the staffed hours of alesund-sentrum (staffed 09:00-15:00)" in response.text
    assert await stored(app, "ClassVisitBooked") == 0


async def test_a_visit_is_moved_then_held_and_a_held_visit_is_not_cancelled(
    client: httpx.AsyncClient, town: None, clock: SteppedClock
) -> None:
    visit = ok(await client.post("/class-visits", json=booking(), headers=STAFF), 201)
    path = f"/school-years/{YEAR}/class-visits/{visit['visit_id']}"
    moved = ok(
        await client.post(
            f"{path}/reschedule",
            json={"branch_id": "alesund-sentrum", "starts_at": at(12), "ends_at": at(14)},
            headers=TEACHER,
        )
    )
    assert moved["starts_at"] == datetime.fromisoformat(at(12)).isoformat()
    early = await client.post(
        f"{path}/held",
        json={"pupils_present": 22, "library_cards_handed_out": 20, "consent_forms_collected": 21},
        headers=STAFF,
    )
    assert early.status_code == 422, early.text
    clock.now = datetime.fromisoformat(at(12, 30))
    held = ok(
        await client.post(
            f"{path}/held",
            json={
                "pupils_present": 22,
                "library_cards_handed_out": 20,
                "consent_forms_collected": 21,
            },
            headers=STAFF,
        )
    )
    assert (held["status"], held["held"]["library_cards_handed_out"]) == ("held", 20)
    refused = await client.post(f"{path}/cancel", json={"reason": "illness"}, headers=STAFF)
    assert refused.status_code == 409, refused.text
    assert "it cannot be cancelled" in refused.json()["detail"]


async def test_a_cancelled_visit_frees_the_class_for_another_booking(
    client: httpx.AsyncClient, town: None
) -> None:
    visit = ok(await client.post("/class-visits", json=booking(), headers=TEACHER), 201)
    again = await client.post(
        "/class-visits", json=booking(starts_at=at(13), ends_at=at(15)), headers=TEACHER
    )
    assert again.status_code == 409, again.text
    path = f"/school-years/{YEAR}/class-visits/{visit['visit_id']}"
    cancelled = ok(
        await client.post(f"{path}/cancel", json={"reason": "weather_or_travel"}, headers=TEACHER)
    )
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "weather_or_travel")
    ok(
        await client.post(
            "/class-visits", json=booking(starts_at=at(13), ends_at=at(15)), headers=TEACHER
        ),
        201,
    )


async def test_a_teacher_cannot_read_or_change_another_school_s_visits(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    visit = ok(await client.post("/class-visits", json=booking(), headers=STAFF), 201)
    path = f"/school-years/{YEAR}/class-visits/{visit['visit_id']}"
    assert (await client.get(path, headers=OTHER_TEACHER)).status_code == 404
    for action, body in (
        ("cancel", {"reason": "other"}),
        ("reschedule", {"branch_id": "alesund-sentrum", "starts_at": at(13), "ends_at": at(14)}),
        (
            "held",
            {"pupils_present": 1, "library_cards_handed_out": 0, "consent_forms_collected": 0},
        ),
    ):
        response = await client.post(f"{path}/{action}", json=body, headers=OTHER_TEACHER)
        assert response.status_code == 404, (action, response.text)
    listed = ok(await client.get(f"/school-years/{YEAR}/class-visits", headers=OTHER_TEACHER))
    assert listed == []
    for url in (
        f"/school-years/{YEAR}/class-visits?school_id=aspoy-skule",
        f"/school-years/{YEAR}/schools/aspoy-skule/classes",
    ):
        assert (await client.get(url, headers=OTHER_TEACHER)).status_code == 403, url
    booked = await client.post(
        "/class-visits", json=booking(starts_at=at(13), ends_at=at(14)), headers=OTHER_TEACHER
    )
    assert booked.status_code == 403, booked.text
    assert await stored(app, "ClassVisitBooked") == 1
    assert await stored(app, "ClassVisitCancelled") == 0


@pytest.mark.parametrize(
    ("changes", "status", "says"),
    [
        ({"expected_pupils": 25}, 422, "25 pupils expected, but class 2A has 24"),
        ({"class_label": "2C"}, 422, "no class 2C in grade 2"),
        ({"class_label": "Ola"}, 422, "class_label"),
        ({"class_label": "3A"}, 422, "not a class of grade 2"),
        ({"programme": "ninth_grade"}, 422, "for grade 9, not grade 2"),
        (
            {"starts_at": at(10, day=date(2026, 9, 1)), "ends_at": at(12, day=date(2026, 9, 1))},
            422,
            "booked ahead",
        ),
        (
            {"starts_at": at(10, day=date(2027, 7, 6)), "ends_at": at(12, day=date(2027, 7, 6))},
            422,
            "summer holiday",
        ),
        ({"ends_at": at(9)}, 422, "ends after it starts"),
        ({"starts_at": "2026-11-24T10:00:00"}, 422, "timezone"),
        ({"school_id": "nowhere-skule"}, 422, "no school 'nowhere-skule'"),
        ({"branch_id": "nowhere"}, 422, "no branch 'nowhere' is known"),
        ({"pupil_names": ["Ola"]}, 422, "pupil_names"),
        ({"expected_pupils": "24"}, 422, "valid integer"),
    ],
)
async def test_bad_bookings_are_refused_with_the_reason_and_store_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    town: None,
    changes: dict[str, object],
    status: int,
    says: str,
) -> None:
    response = await client.post("/class-visits", json=booking(**changes), headers=STAFF)
    assert response.status_code == status, response.text
    assert says in response.text
    assert await stored(app, "ClassVisitBooked") == 0


async def test_a_key_given_twice_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    body = json.dumps(booking(grade=9))[:-1] + ', "grade": 2}'
    response = await client.post(
        "/class-visits", content=body, headers={**STAFF, "Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert await stored(app, "ClassVisitBooked") == 0


async def test_a_proposed_plan_is_confirmed_in_part_and_books_those_visits(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    plan = ok(await client.get(f"/school-years/{YEAR}/proposed-plan", headers=STAFF))
    assert len(plan["visits"]) == 4
    assert plan["no_room"] == []
    chosen = plan["visits"][:3]
    confirmed = ok(
        await client.post(
            f"/school-years/{YEAR}/proposed-plan/confirm", json={"visits": chosen}, headers=STAFF
        ),
        201,
    )
    assert len(confirmed["visit_ids"]) == 3
    again = await client.post(
        f"/school-years/{YEAR}/proposed-plan/confirm",
        json={"visits": plan["visits"]},
        headers=STAFF,
    )
    assert again.status_code == 409, again.text
    assert await stored(app, "ClassVisitBooked") == 3
    rest = ok(await client.get(f"/school-years/{YEAR}/proposed-plan", headers=STAFF))
    assert [(v["school_id"], v["class_label"]) for v in rest["visits"]] == [
        (v["school_id"], v["class_label"]) for v in plan["visits"][3:]
    ]


async def test_free_slots_are_offered_in_staffed_school_hours_and_leave_out_booked_ones(
    client: httpx.AsyncClient, town: None
) -> None:
    query = {
        "branch_id": "alesund-sentrum",
        "programme": "second_grade",
        "from": DAY.isoformat(),
        "to": DAY.isoformat(),
    }
    url = f"/school-years/{YEAR}/free-slots"
    before = ok(await client.get(url, params=query, headers=TEACHER))
    assert [s["starts_at"][11:16] for s in before] == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
        "12:00",
        "12:30",
    ]
    first = before[2]
    ok(
        await client.post(
            "/class-visits",
            json=booking(starts_at=first["starts_at"], ends_at=first["ends_at"]),
            headers=TEACHER,
        ),
        201,
    )
    after = ok(await client.get(url, params=query, headers=TEACHER))
    assert [s["starts_at"][11:16] for s in after] == ["12:00", "12:30"]


async def test_a_visit_held_without_a_booking_is_recorded_afterwards_for_a_registered_class(
    client: httpx.AsyncClient, app: FastAPI, town: None, clock: SteppedClock
) -> None:
    body = {
        "school_id": "aspoy-skule",
        "grade": 2,
        "class_label": "2B",
        "branch_id": "alesund-sentrum",
        "held_on": "2026-09-15",
        "programme": "second_grade",
        "pupils_present": 20,
        "library_cards_handed_out": 18,
        "consent_forms_collected": 19,
    }
    held = ok(await client.post("/class-visits/held", json=body, headers=TEACHER), 201)
    assert (held["status"], held["booked"], held["day"]) == ("held", False, "2026-09-15")
    unknown = await client.post(
        "/class-visits/held", json={**body, "class_label": "2C"}, headers=STAFF
    )
    assert unknown.status_code == 422, unknown.text
    assert await stored(app, "ClassVisitHeld") == 1


async def test_every_school_year_route_needs_a_token_of_its_roles(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    guarded = await assert_every_route_is_guarded(app, client, also_public=PAGE_ROUTES)
    staff, teacher, librarian, viewer = Role.STAFF, Role.TEACHER, Role.SCHOOL_LIBRARIAN, Role.VIEWER
    year = "/school-years/{school_year}"
    visit = f"{year}/class-visits/{{visit_id}}"
    expected = {
        "POST /schools": {staff},
        "GET /schools": {staff, teacher, librarian, viewer},
        "PUT /schools/{school_id}/routes": {staff},
        "PUT /branches/{branch_id}/visit-room": {staff},
        "GET /branches/{branch_id}/visit-room": {staff, teacher, librarian, viewer},
        "GET /school-years/current": {staff, teacher, librarian, viewer},
        f"PUT {year}/schools/{{school_id}}/classes": {staff},
        f"GET {year}/schools/{{school_id}}/classes": {staff, teacher, librarian, viewer},
        f"GET {year}/not-yet-visited": {staff, viewer},
        f"GET {year}/free-slots": {staff, teacher},
        f"GET {year}/proposed-plan": {staff},
        f"POST {year}/proposed-plan/confirm": {staff},
        "POST /class-visits": {staff, teacher},
        "POST /class-visits/held": {staff, teacher},
        f"GET {year}/class-visits": {staff, teacher, librarian},
        f"GET {visit}": {staff, teacher, librarian},
        f"POST {visit}/reschedule": {staff, teacher},
        f"POST {visit}/cancel": {staff, teacher},
        f"POST {visit}/held": {staff, teacher},
    }
    assert {route: guarded[route] for route in expected} == expected


@pytest.mark.parametrize("label", ["0000-0001", "0001-0002", "1066-1067", "9998-9999"])
async def test_a_school_year_outside_the_service_s_working_life_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI, town: None, label: str
) -> None:
    year = f"/school-years/{label}"
    classes = {"classes": [{"grade": 2, "class_label": "2A", "pupils": 5}]}
    slots = {"branch_id": "alesund-sentrum", "programme": "other", "from": "2026-11-01"}
    for method, url, body in (
        ("PUT", f"{year}/schools/aspoy-skule/classes", classes),
        ("POST", f"{year}/proposed-plan/confirm", {"visits": [booking()]}),
        ("GET", f"{year}/proposed-plan", None),
        ("GET", f"{year}/class-visits", None),
        (
            "GET",
            f"{year}/free-slots?{'&'.join(f'{k}={v}' for k, v in slots.items())}&to=2026-11-30",
            None,
        ),
    ):
        response = await client.request(method, url, json=body, headers=STAFF)
        assert response.status_code == 422, (url, response.text)
        assert "from 2000-2001 to 2098-2099" in response.text, url
    assert await stored(app, "SchoolClassesSet") == 2
    assert await stored(app, "ClassVisitBooked") == 0


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        ("0001-01-01T00:00:00+14:00", "0001-01-01T02:00:00+14:00"),
        ("0001-01-01T10:00:00+00:00", "0001-01-01T12:00:00+00:00"),
        ("9999-12-31T22:00:00-14:00", "9999-12-31T23:00:00-14:00"),
    ],
)
async def test_a_visit_at_the_ends_of_the_calendar_is_refused_with_the_reason(
    client: httpx.AsyncClient, app: FastAPI, town: None, starts_at: str, ends_at: str
) -> None:
    visit = ok(await client.post("/class-visits", json=booking(), headers=STAFF), 201)
    path = f"/school-years/{YEAR}/class-visits/{visit['visit_id']}/reschedule"
    moved = {"branch_id": "alesund-sentrum", "starts_at": starts_at, "ends_at": ends_at}
    asked = booking(class_label="2B", expected_pupils=5, starts_at=starts_at, ends_at=ends_at)
    for url, body in (
        ("/class-visits", asked),
        (path, moved),
        (f"/school-years/{YEAR}/proposed-plan/confirm", {"visits": [asked]}),
    ):
        response = await client.post(url, json=body, headers=STAFF)
        assert response.status_code == 422, (url, response.text)
        assert "from 2000 to 2099" in response.text, url
    assert await stored(app, "ClassVisitBooked") == 1
    assert await stored(app, "ClassVisitRescheduled") == 0


@pytest.mark.parametrize("name", [" ", "Aspøy\nskule", "\u202eeluks yøpsA", "Aspøy\x85skule"])
async def test_a_school_s_name_is_one_visible_line(
    client: httpx.AsyncClient, app: FastAPI, town: None, name: str
) -> None:
    school = {
        "school_id": "odd-skule",
        "name": name,
        "school_type": "primary",
        "nearest_branch_id": "alesund-sentrum",
    }
    response = await client.post("/schools", json=school, headers=STAFF)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["location"] == ["body", "name"]
    assert await stored(app, "SchoolRegistered") == 2


async def test_the_room_of_a_branch_not_known_here_is_not_found(
    client: httpx.AsyncClient, town: None
) -> None:
    known = ok(await client.get("/branches/alesund-sentrum/visit-room", headers=TEACHER))
    assert known == {"branch_id": "alesund-sentrum", "pupils": None}
    for branch_id, headers in (
        ("nowhere", STAFF),
        ("alesund-sentrum", bearer(Role.STAFF, tenant="1532")),
    ):
        response = await client.get(f"/branches/{branch_id}/visit-room", headers=headers)
        assert response.status_code == 404, response.text
        assert response.json()["error"] == "not_found"
