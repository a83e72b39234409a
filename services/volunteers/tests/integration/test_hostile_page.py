"""Hostile tests of the volunteer's page: sessions that ran out or were made up, forms carrying
another session's token or not sent as forms, and a shift of another municipality. Each gets a
4xx page and nothing is appended.

The last test showed a defect found by hand before it was fixed (see ``test_hostile_tenants.py``);
the others held."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.page import form_fields, sign_in
from tvers_volunteers.testing.people import eligible_volunteer
from tvers_volunteers.testing.shifts import publish_shift

pytestmark = pytest.mark.servers
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def event_count(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    return count


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "skodje")


async def test_a_session_runs_out_after_30_days_and_a_made_up_cookie_opens_nothing(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    volunteer_id, _ = await eligible_volunteer(client)
    await sign_in(client, volunteer_id)
    clock.advance(timedelta(days=30) - timedelta(seconds=1))
    assert (await client.get("/me")).status_code == 200
    clock.advance(timedelta(seconds=1))
    assert (await client.get("/me")).status_code == 401
    for made_up in ("x" * 43, "x" * 4000, "%00%FF"):
        client.cookies.set("tvers_volunteer_session", made_up, path="/me")
        refused = await client.get("/me")
        assert refused.status_code == 401, made_up
        assert "text/html" in refused.headers["content-type"]


async def test_a_form_carrying_another_sessions_token_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock
) -> None:
    shift_id = await publish_shift(client, clock() + timedelta(days=1))
    mine, _ = await eligible_volunteer(client)
    theirs, _ = await eligible_volunteer(client)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://service"
    ) as their_phone:
        await sign_in(their_phone, theirs)
        their_fields = await form_fields(their_phone)
    await sign_in(client, mine)
    before = await event_count(app)
    forged = await client.post(f"/me/shifts/{shift_id}/claim", data=their_fields)
    assert forged.status_code == 403, forged.text
    assert await event_count(app) == before


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ("&".join(f"f{n}=1" for n in range(20)).encode(), FORM, 400),
        (b"form_token=\xff\xfe", FORM, 400),
        (b'{"form_token": "x"}', {"Content-Type": "application/json"}, 415),
        (b"form_token=a&form_token=b", FORM, 400),
    ],
    ids=["too-many-fields", "not-utf-8", "json", "a-field-twice"],
)
async def test_what_is_not_one_of_the_pages_forms_is_refused_with_a_page(
    client: httpx.AsyncClient,
    app: FastAPI,
    clock: SteppedClock,
    body: bytes,
    headers: dict[str, str],
    status: int,
) -> None:
    shift_id = await publish_shift(client, clock() + timedelta(days=1))
    volunteer_id, _ = await eligible_volunteer(client)
    await sign_in(client, volunteer_id)
    before = await event_count(app)
    refused = await client.post(f"/me/shifts/{shift_id}/claim", content=body, headers=headers)
    assert refused.status_code == status, refused.text
    assert "text/html" in refused.headers["content-type"]
    assert await event_count(app) == before


async def test_a_shift_of_another_municipality_is_not_found_on_the_page(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock
) -> None:
    await learn_branches(app, "skodje", tenant="1532")
    giske = bearer(Role.STAFF, tenant="1532")
    starts = clock() + timedelta(days=1)
    published = await client.post(
        "/shifts",
        json={
            "branch_id": "skodje",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "role": "helper",
        },
        headers=giske,
    )
    assert published.status_code == 201, published.text
    theirs = published.json()["shift_id"]
    volunteer_id, _ = await eligible_volunteer(client)
    await sign_in(client, volunteer_id)
    before = await event_count(app)
    for action in ("claim", "check-in"):
        refused = await client.post(f"/me/shifts/{theirs}/{action}", data=await form_fields(client))
        assert refused.status_code == 404, refused.text
    assert await event_count(app) == before
    assert theirs not in (await client.get("/me")).text
