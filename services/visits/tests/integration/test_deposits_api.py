"""Book deposits over HTTP on a real PostgreSQL and NATS, on the test's clock: ordered by a
school, moved through their course by staff, overdue from Oslo's midnight after the due date;
bad input refused with the reason and nothing stored."""

from datetime import UTC, date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_visits.testing.school_library import at, events_stored, register_schools, visits_app

pytestmark = pytest.mark.servers
TODAY = date(2026, 9, 1)
STAFF = bearer(Role.STAFF)
LIBRARIAN = bearer(Role.SCHOOL_LIBRARIAN, school_id="aspoy-skule")
TEACHER = bearer(Role.TEACHER, school_id="aspoy-skule")


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(at(TODAY))


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest, clock: SteppedClock) -> FastAPI:
    return visits_app(database_url, nats_server.url, clock)


@pytest.fixture(autouse=True)
async def schools(app: FastAPI, client: httpx.AsyncClient) -> None:
    await register_schools(app, client, "aspoy-skule", "hessa-skule")


def order(**changes: Any) -> dict[str, Any]:
    return {
        "grade": 2,
        "class_label": "2A",
        "theme": "Dinosaurar",
        "books": 30,
        "wished_delivery_on": "2026-09-14",
        **changes,
    }


async def ordered(
    client: httpx.AsyncClient, headers: dict[str, str] = LIBRARIAN, **changes: Any
) -> dict[str, Any]:
    response = await client.post("/deposits", json=order(**changes), headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def step(client: httpx.AsyncClient, deposit: dict[str, Any], what: str, **body: Any) -> Any:
    response = await client.post(
        f"/deposits/{deposit['deposit_id']}/{what}", json=body or None, headers=STAFF
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_school_orders_and_the_library_prepares_delivers_and_collects(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    deposit = await ordered(client)
    assert deposit["school_id"] == "aspoy-skule"
    assert (deposit["status"], deposit["ordered_by"]) == ("requested", "school_librarian")
    assert deposit["ordered_on"] == "2026-09-01"
    assert (await step(client, deposit, "prepared", books=28))["status"] == "prepared"
    clock.now = at(date(2026, 9, 14))
    delivered = await step(client, deposit, "delivered")
    assert (delivered["delivered_on"], delivered["due_on"]) == ("2026-09-14", "2026-11-09")
    clock.now = at(date(2026, 11, 2))
    returned = await step(client, deposit, "returned")
    assert (returned["status"], returned["returned_on"]) == ("returned", "2026-11-02")
    seen = await client.get(f"/deposits/{deposit['deposit_id']}", headers=TEACHER)
    assert seen.json() == returned


async def test_a_deposit_for_the_school_library_names_no_class(client: httpx.AsyncClient) -> None:
    deposit = await ordered(client, TEACHER, grade=None, class_label=None, books=120)
    assert (deposit["grade"], deposit["class_label"], deposit["ordered_by"]) == (
        None,
        None,
        "teacher",
    )


async def test_staff_order_for_a_school_they_name(client: httpx.AsyncClient, app: FastAPI) -> None:
    deposit = await ordered(client, STAFF, school_id="hessa-skule")
    assert (deposit["school_id"], deposit["ordered_by"]) == ("hessa-skule", "staff")
    unnamed = await client.post("/deposits", json=order(), headers=STAFF)
    assert unnamed.status_code == 422
    assert "school_id is required" in unnamed.text
    assert await events_stored(app, "DepositOrdered") == 1


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"school_id": "nowhere-skule"}, "no school 'nowhere-skule' is registered"),
        ({"wished_delivery_on": "2026-08-31"}, "has passed"),
        ({"wished_delivery_on": "2027-09-02"}, "up to a year ahead"),
        ({"class_label": "9A"}, "'9A' is not a class of grade 2"),
        ({"class_label": None}, "together"),
        ({"class_label": "Ola Nordmann"}, "class_label"),
        ({"theme": "Ring kari@example.no"}, "theme"),
        ({"theme": "Ring 912 34 567"}, "theme"),
        ({"theme": "Dinosaurar\nog drakar"}, "theme"),
        ({"theme": "x" * 81}, "theme"),
        ({"books": 0}, "books"),
        ({"books": 301}, "books"),
        ({"books": "30"}, "Input should be a valid integer"),
        ({"wished_delivery_on": 1_700_006_400}, "Input should be a date as a JSON string"),
        ({"titles": ["Dinosaurboka"]}, "titles"),
    ],
)
async def test_bad_orders_are_refused_with_the_reason_and_store_nothing(
    client: httpx.AsyncClient, app: FastAPI, changes: dict[str, Any], says: str
) -> None:
    response = await client.post(
        "/deposits", json=order(school_id="aspoy-skule") | changes, headers=STAFF
    )
    assert response.status_code == 422, response.text
    assert says in response.text
    assert await events_stored(app) == await events_stored(app, "SchoolRegistered")


async def test_the_course_is_never_skipped_nor_walked_back_and_a_refusal_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deposit = await ordered(client)
    path = f"/deposits/{deposit['deposit_id']}"
    before = await events_stored(app)
    skipped = await client.post(f"{path}/delivered", headers=STAFF)
    assert skipped.status_code == 409
    assert "requested deposit cannot be marked delivered" in skipped.json()["detail"]
    assert (await client.post(f"{path}/returned", headers=STAFF)).status_code == 409
    await step(client, deposit, "prepared")
    assert (await client.post(f"{path}/prepared", headers=STAFF)).status_code == 409
    await step(client, deposit, "delivered")
    late = await client.post(f"{path}/cancel", headers=LIBRARIAN)
    assert late.status_code == 409
    assert "only before it is delivered" in late.json()["detail"]
    assert await events_stored(app) == before + 2


async def test_nothing_is_delivered_after_a_cancellation(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deposit = await ordered(client)
    cancelled = await client.post(f"/deposits/{deposit['deposit_id']}/cancel", headers=TEACHER)
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelled_by"] == "school"
    path = f"/deposits/{deposit['deposit_id']}"
    for what in ("prepared", "delivered", "returned"):
        response = await client.post(f"{path}/{what}", headers=STAFF)
        assert response.status_code == 409, what
        assert "cancelled" in response.json()["detail"]
    assert await events_stored(app, "DepositPrepared", "DepositDelivered") == 0


async def test_staff_cancel_for_the_library(client: httpx.AsyncClient) -> None:
    deposit = await ordered(client)
    cancelled = await step(client, deposit, "cancel")
    assert cancelled["cancelled_by"] == "library"


async def test_staff_set_the_due_date_at_delivery_and_move_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deposit = await ordered(client)
    await step(client, deposit, "prepared")
    delivered = await step(client, deposit, "delivered", due_on="2026-10-30")
    assert delivered["due_on"] == "2026-10-30"
    moved = await step(client, deposit, "due-date", due_on="2026-12-18")
    assert moved["due_on"] == "2026-12-18"
    path = f"/deposits/{deposit['deposit_id']}"
    for body in ({"due_on": "2026-09-01"}, {"due_on": "2027-09-02"}, {}):
        refused = await client.post(f"{path}/due-date", json=body, headers=STAFF)
        assert refused.status_code == 422, body
    assert await events_stored(app, "DepositDueDateSet") == 1


async def test_overdue_deposits_show_up_for_staff_from_oslo_midnight_after_the_due_date(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    deposit = await ordered(client)
    await step(client, deposit, "prepared")
    await step(client, deposit, "delivered", due_on="2027-03-27")  # the eve of summer time
    on_time = await ordered(client, TEACHER, theme="Vikingar")
    await step(client, on_time, "prepared")
    await step(client, on_time, "delivered", due_on="2027-04-30")
    clock.now = at(date(2027, 3, 27), "23:59:59")
    assert (await client.get("/deposits/overdue", headers=STAFF)).json() == []
    clock.advance(timedelta(seconds=1))
    assert clock.now.astimezone(UTC).date() == date(2027, 3, 27)  # 23:00 UTC
    assert clock.now.astimezone(OSLO).date() == date(2027, 3, 28)
    overdue = (await client.get("/deposits/overdue", headers=STAFF)).json()
    assert [(d["deposit_id"], d["days_overdue"]) for d in overdue] == [(deposit["deposit_id"], 1)]
    await step(client, deposit, "returned")
    assert (await client.get("/deposits/overdue", headers=STAFF)).json() == []
    refused = await client.get("/deposits/overdue", headers=LIBRARIAN)
    assert refused.status_code == 403


async def test_staff_list_every_schools_deposits_by_status_and_school(
    client: httpx.AsyncClient,
) -> None:
    first = await ordered(client)
    other = await ordered(client, bearer(Role.SCHOOL_LIBRARIAN, school_id="hessa-skule"))
    await step(client, other, "prepared")

    async def listed(query: str) -> list[str]:
        response = await client.get(f"/deposits{query}", headers=STAFF)
        assert response.status_code == 200, response.text
        return [d["deposit_id"] for d in response.json()]

    assert await listed("") == [first["deposit_id"], other["deposit_id"]]
    assert await listed("?status=prepared") == [other["deposit_id"]]
    assert await listed("?school_id=aspoy-skule") == [first["deposit_id"]]
    assert await listed("?school_id=hessa-skule&status=requested") == []
    assert (await client.get("/deposits?status=lost", headers=STAFF)).status_code == 422


async def test_a_repeated_order_with_the_same_key_is_stored_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    headers = LIBRARIAN | {"Idempotency-Key": "order-1"}
    first = await client.post("/deposits", json=order(), headers=headers)
    again = await client.post("/deposits", json=order(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["deposit_id"] == again.json()["deposit_id"]
    assert await events_stored(app, "DepositOrdered") == 1


async def test_another_municipalitys_deposit_is_not_found(client: httpx.AsyncClient) -> None:
    deposit = await ordered(client)
    giske = bearer(Role.STAFF, tenant="1532")
    path = f"/deposits/{deposit['deposit_id']}"
    assert (await client.get(path, headers=giske)).status_code == 404
    assert (await client.post(f"{path}/prepared", headers=giske)).status_code == 404
    assert (await client.get("/deposits", headers=giske)).json() == []
    assert (await client.get(path, headers=STAFF)).json()["status"] == "requested"


async def test_a_deposit_for_a_class_is_for_a_grade_the_school_teaches(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    primary = {
        "school_id": "larsgarden-skule",
        "name": "Larsgården skule",
        "school_type": "primary",
        "nearest_branch_id": "alesund-sentrum",
    }
    assert (await client.post("/schools", json=primary, headers=STAFF)).status_code == 201
    teacher = bearer(Role.TEACHER, school_id="larsgarden-skule")
    ninth = await client.post("/deposits", json=order(grade=9, class_label="9A"), headers=teacher)
    assert ninth.status_code == 422, ninth.text
    assert "has no grade 9" in ninth.json()["detail"]
    assert await events_stored(app, "DepositOrdered") == 0
    await ordered(client, teacher, grade=7, class_label="7A")
