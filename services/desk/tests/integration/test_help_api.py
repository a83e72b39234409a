"""Recording help at the desk over HTTP, on real PostgreSQL and NATS: what is stored, what reaches
the DESK stream, and what is refused (a 4xx that says what was wrong, and nothing stored)."""

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient

from tvers_desk.testing.desk import PRINTING, SKODJE_DESK, STAFF, stored
from tvers_runtime.auth import Role
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
HELP_EVENTS = ("HelpGiven", "HelpUndone")


@pytest.fixture
async def nats_client(nats_server: NatsUnderTest) -> AsyncIterator[NatsClient]:
    client = await nats.connect(nats_server.url)
    yield client
    await client.close()


async def on_stream(nats_client: NatsClient) -> list[dict[str, Any]]:
    """Every message of the DESK stream, in order, with its subject."""
    info = await nats_client.jsm().stream_info("DESK")
    messages: list[dict[str, Any]] = []
    if not info.state.messages:
        return messages
    for sequence in range(info.state.first_seq, info.state.last_seq + 1):
        message = await nats_client.jsm().get_msg("DESK", sequence)
        messages.append({"subject": message.subject, **json.loads(message.data or b"{}")})
    return messages


async def help_on_stream(nats_client: NatsClient, count: int) -> list[dict[str, Any]]:
    """The help messages of the DESK stream, once there are ``count`` of them."""
    found: list[dict[str, Any]] = []

    async def arrived() -> bool:
        nonlocal found
        try:
            messages = await on_stream(nats_client)
        except nats.js.errors.NotFoundError:  # the relay has not made the stream yet
            return False
        found = [m for m in messages if m["subject"].startswith("desk.help.")]
        return len(found) >= count

    await eventually(arrived)
    return found


async def record(
    client: httpx.AsyncClient, headers: dict[str, str] = STAFF, **changes: Any
) -> httpx.Response:
    return await client.post("/help", json={**PRINTING, **changes}, headers=headers)


async def test_help_recorded_at_a_desk_is_stored_and_published_on_the_desk_stream(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock, nats_client: NatsClient
) -> None:
    answer = await record(
        client, SKODJE_DESK, category_id="bankid-id-porten", referred_to="citizen_service"
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["site"] == "skodje"
    assert (body["department"], body["referred_to"]) == ("library", "citizen_service")
    assert body["undone"] is False
    assert body["undo_until"] == (clock.now + timedelta(minutes=5)).isoformat().replace(
        "+00:00", "Z"
    )
    [published] = await help_on_stream(nats_client, 1)
    assert published["subject"] == "desk.help.help_given"
    assert published["tenant"] == "1508"
    assert published["payload"] == {
        "help_id": body["help_id"],
        "site": "skodje",
        "department": "library",
        "category_id": "bankid-id-porten",
        "channel": "in_person",
        "duration": "under_5_minutes",
        "referred_to": "citizen_service",
        "given_at": published["payload"]["given_at"],
    }
    read = await client.get(f"/help/{body['help_id']}", headers=SKODJE_DESK)
    assert read.json() == body


async def test_a_record_is_undone_within_five_minutes_once_and_not_after(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock, nats_client: NatsClient
) -> None:
    first = (await record(client)).json()["help_id"]
    late = (await record(client, duration="over_15_minutes")).json()["help_id"]
    clock.advance(timedelta(minutes=4, seconds=59))
    undone = await client.post(
        f"/help/{first}/undo", json={"reason": "recorded_twice"}, headers=STAFF
    )
    assert undone.status_code == 200, undone.text
    assert undone.json()["undone"] is True
    again = await client.post(
        f"/help/{first}/undo", json={"reason": "recorded_twice"}, headers=STAFF
    )
    assert (again.status_code, again.json()["error"]) == (409, "already_undone")
    clock.advance(timedelta(seconds=1))
    too_late = await client.post(
        f"/help/{late}/undo", json={"reason": "wrong_details"}, headers=STAFF
    )
    assert (too_late.status_code, too_late.json()["error"]) == (409, "undo_window_closed")
    assert (await client.get(f"/help/{late}", headers=STAFF)).json()["undone"] is False
    published = await help_on_stream(nats_client, 3)
    assert [m["subject"] for m in published] == [
        "desk.help.help_given",
        "desk.help.help_given",
        "desk.help.help_undone",
    ]
    assert published[2]["payload"] == {"help_id": first, "reason": "recorded_twice"}


@pytest.mark.parametrize(
    ("changes", "status", "code", "said"),
    [
        pytest.param({"site": "vigra"}, 422, "unknown_site", "vigra", id="unknown-site"),
        pytest.param(
            {"category_id": "astrology"},
            422,
            "unknown_category",
            "astrology",
            id="unknown-category",
        ),
        pytest.param(
            {"referred_to": "tax_office"},
            422,
            "invalid_request",
            "referred_to",
            id="referral-unknown",
        ),
        pytest.param(
            {"referred_to": "library"},
            422,
            "referral_to_own_department",
            "library",
            id="referral-to-own-department",
        ),
        pytest.param({"department": "police"}, 422, "invalid_request", "department", id="dept"),
        pytest.param({"channel": "fax"}, 422, "invalid_request", "channel", id="unknown-channel"),
        pytest.param(
            {"citizen_name": "Kari Nordmann"},
            422,
            "invalid_request",
            "citizen_name",
            id="free-text",
        ),
    ],
)
async def test_bad_help_gets_a_4xx_saying_what_was_wrong_and_stores_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    changes: dict[str, Any],
    status: int,
    code: str,
    said: str,
) -> None:
    before = await stored(app)
    answer = await record(client, **changes)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == code
    assert said in json.dumps(answer.json()["detail"])
    assert "Kari" not in answer.text
    assert await stored(app) == before


async def test_a_retired_category_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    retired = await client.patch("/categories/other", json={"retired": True}, headers=STAFF)
    assert retired.status_code == 200, retired.text
    answer = await record(client, category_id="other")
    assert (answer.status_code, answer.json()["error"]) == (422, "category_retired")
    assert await stored(app, *HELP_EVENTS) == 0


async def test_the_same_request_with_the_same_key_is_stored_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    key = {"Idempotency-Key": "desk-skodje-0001"}
    first = await record(client, {**SKODJE_DESK, **key})
    again = await record(client, {**SKODJE_DESK, **key})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert await stored(app, "HelpGiven") == 1
    other = await record(client, {**SKODJE_DESK, **key}, channel="phone")
    assert (other.status_code, other.json()["error"]) == (409, "idempotency_key_reused")
    undo = {"Idempotency-Key": "desk-skodje-0001-undo"}
    path = f"/help/{first.json()['help_id']}/undo"
    undone = [
        await client.post(
            path, json={"reason": "recorded_by_mistake"}, headers={**SKODJE_DESK, **undo}
        )
        for _ in range(2)
    ]
    assert [u.status_code for u in undone] == [200, 200]
    assert await stored(app, "HelpUndone") == 1


async def test_a_desk_records_and_undoes_at_its_own_site_only(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    haroy_desk = bearer(Role.DESK, site_id="haroy")
    elsewhere = await record(client, haroy_desk)  # PRINTING is at Skodje
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (403, "forbidden")
    assert "haroy" in elsewhere.json()["detail"]
    assert await stored(app, *HELP_EVENTS) == 0
    at_skodje = (await record(client, SKODJE_DESK)).json()["help_id"]
    read = await client.get(f"/help/{at_skodje}", headers=haroy_desk)
    undo = await client.post(
        f"/help/{at_skodje}/undo", json={"reason": "recorded_twice"}, headers=haroy_desk
    )
    assert (read.status_code, undo.status_code) == (404, 404)
    sites = await client.get("/sites", headers=haroy_desk)
    assert sites.json() == [{"site": "haroy", "name": "Harøy"}]
    assert len((await client.get("/sites", headers=STAFF)).json()) == 5


async def test_another_municipality_neither_sees_nor_undoes_a_record(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    help_id = (await record(client)).json()["help_id"]
    giske = bearer(Role.STAFF, tenant="1532")
    read = await client.get(f"/help/{help_id}", headers=giske)
    undo = await client.post(
        f"/help/{help_id}/undo", json={"reason": "recorded_twice"}, headers=giske
    )
    assert (read.status_code, undo.status_code) == (404, 404)
    assert await stored(app, "HelpUndone") == 0


async def test_an_unknown_record_cannot_be_undone(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/help/00000000-0000-4000-8000-000000000000/undo",
        json={"reason": "recorded_twice"},
        headers=STAFF,
    )
    assert (answer.status_code, answer.json()["error"]) == (404, "not_found")
