"""A teacher's or school librarian's token is bound to one school: it never reads, lists or
changes another school's deposits, and a token bound to no school reaches none."""

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
ASPOY = "aspoy-skule"
HESSA = "hessa-skule"
ORDER = {"theme": "Dinosaurar", "books": 30, "wished_delivery_on": "2026-09-14"}


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(at(date(2026, 9, 1)))


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest, clock: SteppedClock) -> FastAPI:
    return visits_app(database_url, nats_server.url, clock)


@pytest.fixture
async def hessas_deposit(app: FastAPI, client: httpx.AsyncClient) -> dict[str, Any]:
    """A deposit ordered by Hessa's school librarian."""
    await register_schools(app, client, ASPOY, HESSA)
    ordered = await client.post(
        "/deposits", json=ORDER, headers=bearer(Role.SCHOOL_LIBRARIAN, school_id=HESSA)
    )
    assert ordered.status_code == 201, ordered.text
    body: dict[str, Any] = ordered.json()
    return body


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SCHOOL_LIBRARIAN])
async def test_another_schools_token_neither_reads_nor_changes_a_deposit(
    client: httpx.AsyncClient, app: FastAPI, hessas_deposit: dict[str, Any], role: Role
) -> None:
    aspoy = bearer(role, school_id=ASPOY)
    path = f"/deposits/{hessas_deposit['deposit_id']}"
    before = await events_stored(app)
    read = await client.get(path, headers=aspoy)
    cancel = await client.post(f"{path}/cancel", headers=aspoy)
    assert (read.status_code, cancel.status_code) == (403, 403)
    assert read.json()["error"] == "forbidden"
    assert "token is for school 'aspoy-skule'" in read.json()["detail"]
    assert "Dinosaurar" not in read.text
    for staff_step in ("prepared", "delivered", "returned", "due-date"):
        response = await client.post(f"{path}/{staff_step}", json={}, headers=aspoy)
        assert response.status_code == 403, staff_step
    assert await events_stored(app) == before
    seen = await client.get(path, headers=bearer(Role.STAFF))
    assert seen.json()["status"] == "requested"


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SCHOOL_LIBRARIAN])
async def test_a_schools_token_lists_and_orders_only_its_own_schools_deposits(
    client: httpx.AsyncClient, app: FastAPI, hessas_deposit: dict[str, Any], role: Role
) -> None:
    aspoy = bearer(role, school_id=ASPOY)
    own = await client.post("/deposits", json=ORDER, headers=aspoy)
    assert own.json()["school_id"] == ASPOY
    listed = await client.get("/deposits", headers=aspoy)
    assert [d["deposit_id"] for d in listed.json()] == [own.json()["deposit_id"]]
    asked_for_other = await client.get(f"/deposits?school_id={HESSA}", headers=aspoy)
    assert asked_for_other.status_code == 403
    for_other = await client.post("/deposits", json=ORDER | {"school_id": HESSA}, headers=aspoy)
    assert for_other.status_code == 403
    assert await events_stored(app, "DepositOrdered") == 2


async def test_a_school_token_bound_to_no_school_reaches_no_deposit(
    client: httpx.AsyncClient, app: FastAPI, hessas_deposit: dict[str, Any]
) -> None:
    unbound = bearer(Role.TEACHER)
    path = f"/deposits/{hessas_deposit['deposit_id']}"
    assert (await client.get(path, headers=unbound)).status_code == 403
    assert (await client.get("/deposits", headers=unbound)).status_code == 403
    ordered = await client.post("/deposits", json=ORDER | {"school_id": HESSA}, headers=unbound)
    assert ordered.status_code == 403
    assert await events_stored(app, "DepositOrdered") == 1
