"""The access service over HTTP, on a real PostgreSQL and NATS: the door decision, bad input,
and who may call what."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from tvers_access.testing.door_setup import CARD, DOOR, PIN, STAFF, event_count, set_up_door
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import assert_every_route_is_guarded, bearer

pytestmark = pytest.mark.servers
ALL_WEEK_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "23:59", "kind": "meirope"} for d in range(1, 8)
]


async def set_up_branch(client: httpx.AsyncClient) -> None:
    await set_up_door(client, ALL_WEEK_MEIROPE, with_agreement=False)


def door_token_for(path: str) -> dict[str, str]:
    """A door token bound to the door a path names (if it can name one at all)."""
    door = path.split("/")[2]
    return bearer(Role.DOOR, door_id=door) if re.fullmatch(r"[a-z0-9-]+", door) else DOOR


async def present(client: httpx.AsyncClient, **extra: object) -> httpx.Response:
    return await client.post(
        "/doors/skodje-hovuddor/presentations",
        json={"card_number": CARD, "pin": PIN, **extra},
        headers=DOOR,
    )


async def test_a_patron_with_an_agreement_comes_in_in_meirope_hours(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    denied = await present(client)
    assert denied.json() == {
        "entry": "denied",
        "opening": "meirope",
        "reason": "no_agreement",
        "verified": False,
        "message_nn": "Du treng ein meirope-avtale. Spør på biblioteket.",
        "message_en": "You need a meirope agreement. Ask at the library.",
    }
    signed = await client.post("/agreements", json={"card_number": CARD}, headers=STAFF)
    assert signed.status_code == 201
    granted = await present(client)
    assert granted.json() == {
        "entry": "granted",
        "opening": "meirope",
        "reason": None,
        "verified": True,
        "message_nn": "Velkomen inn!",
        "message_en": "Welcome in!",
    }
    branch = await client.get("/branches/skodje", headers=bearer(Role.VIEWER))
    assert branch.json()["name"] == "Skodje"


async def test_the_card_number_is_stored_only_as_a_keyed_reference(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    await client.post("/agreements", json={"card_number": CARD}, headers=STAFF)
    await present(client)
    rows = await app.state.infrastructure.pool.fetch("SELECT stream_id, payload::text FROM events")
    assert rows
    assert not any(CARD in row["stream_id"] + row["payload"] for row in rows)
    assert any('"patron_ref"' in row["payload"] for row in rows)


async def test_a_repeated_presentation_with_the_same_key_is_recorded_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    before = await event_count(app)
    key = {"Idempotency-Key": "panel-7-attempt-1"}
    first = await client.post(
        "/doors/skodje-hovuddor/presentations",
        json={"card_number": CARD, "pin": PIN},
        headers={**DOOR, **key},
    )
    again = await client.post(
        "/doors/skodje-hovuddor/presentations",
        json={"card_number": CARD, "pin": PIN},
        headers={**DOOR, **key},
    )
    assert first.json() == again.json()
    assert await event_count(app) == before + 1


async def test_a_panel_may_deliver_presentations_it_held_while_offline(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    earlier = datetime.now(UTC) - timedelta(days=3)
    response = await present(client, presented_at=earlier.isoformat())
    assert response.status_code == 200
    occurred = await app.state.infrastructure.pool.fetchval(
        "SELECT occurred_at FROM events WHERE event_type = 'EntryDenied'"
    )
    assert abs(occurred - earlier) < timedelta(seconds=1)
    stream = await app.state.infrastructure.pool.fetchval(
        "SELECT stream_id FROM events WHERE event_type = 'EntryDenied'"
    )
    assert stream.endswith(earlier.astimezone(ZoneInfo("Europe/Oslo")).date().isoformat())


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "says"),
    [
        ("post", "/doors/skodje-hovuddor/presentations", {"pin": "1234"}, 422, "card_number"),
        (
            "post",
            "/doors/no-such-door/presentations",
            {"card_number": CARD, "pin": "1234"},
            404,
            "no door",
        ),
        (
            "post",
            "/doors/skodje-hovuddor/presentations",
            {"card_number": CARD, "pin": "12"},
            422,
            "pin",
        ),
        (
            "post",
            "/doors/skodje-hovuddor/presentations",
            {"card_number": CARD, "pin": "1234", "presented_at": "2099-01-01T00:00:00+00:00"},
            422,
            "future",
        ),
        (
            "post",
            "/doors/skodje-hovuddor/presentations",
            {"card_number": CARD, "pin": "1234", "colour": "red"},
            422,
            "colour",
        ),
        (
            "post",
            "/doors/Bad Door/presentations",
            {"card_number": CARD, "pin": "1234"},
            422,
            "door_id",
        ),
        (
            "post",
            "/branches",
            {"branch_id": "skodje", "name": "Skodje igjen"},
            409,
            "already registered",
        ),
        (
            "put",
            "/branches/skodje/schedule",
            {"periods": [{"weekday": 8, "starts": "10:00", "ends": "12:00", "kind": "staffed"}]},
            422,
            "weekday",
        ),
        (
            "put",
            "/branches/skodje/schedule",
            {
                "periods": [
                    {"weekday": 5, "starts": "22:00", "ends": "02:00", "kind": "meirope"},
                    {"weekday": 6, "starts": "01:00", "ends": "03:00", "kind": "staffed"},
                ]
            },
            422,
            "overlap on weekday 6",
        ),
        (
            "put",
            "/branches/skodje/schedule",
            {
                "periods": [
                    {"weekday": 1, "starts": "00:00:00+05:00", "ends": "12:00", "kind": "meirope"}
                ]
            },
            422,
            "without a UTC offset",
        ),
        (
            "put",
            "/branches/skodje/schedule",
            {
                "periods": [
                    {"weekday": 2, "starts": "08:00", "ends": "11:29:49Z", "kind": "staffed"}
                ]
            },
            422,
            "without a UTC offset",
        ),
        (
            "post",
            "/doors",
            {"door_id": "x", "branch_id": "nowhere", "name": "X"},
            404,
            "not registered",
        ),
        ("post", "/branches", {"branch_id": "nul", "name": "Sk\u0000odje"}, 422, "NUL"),
    ],
)
async def test_bad_input_gets_a_4xx_saying_what_was_wrong_and_stores_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    method: str,
    path: str,
    body: dict[str, object],
    status: int,
    says: str,
) -> None:
    await set_up_branch(client)
    before = await event_count(app)
    headers = door_token_for(path) if "presentations" in path else STAFF
    response = await client.request(method.upper(), path, json=body, headers=headers)
    assert response.status_code == status, response.text
    assert says in response.text
    assert CARD not in response.text, "an error must not echo the card number"
    assert await event_count(app) == before


async def test_text_with_a_lone_surrogate_is_refused_not_a_500(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    # Valid JSON, but "\\ud800" is half a character: no event can be written of it.
    body = b'{"branch_id": "surrogate", "name": "Sk\\ud800odje"}'
    response = await client.post(
        "/branches", content=body, headers={**STAFF, "content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert "surrogate" in response.text
    assert await event_count(app) == 0


async def test_garbage_and_oversized_bodies_are_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    before = await event_count(app)
    garbage = await client.post(
        "/agreements", content=b"{not json", headers={**STAFF, "content-type": "application/json"}
    )
    assert garbage.status_code == 400
    assert garbage.json()["error"] == "invalid_json"
    huge = await client.post(
        "/agreements",
        content=b'{"card_number": "' + b"1" * 100_000 + b'"}',
        headers={**STAFF, "content-type": "application/json"},
    )
    assert huge.status_code == 413
    assert await event_count(app) == before


async def test_a_door_token_bound_to_another_door_is_refused(client: httpx.AsyncClient) -> None:
    await set_up_branch(client)
    response = await client.post(
        "/doors/skodje-hovuddor/presentations",
        json={"card_number": CARD, "pin": PIN},
        headers=bearer(Role.DOOR, door_id="brattvag-hovuddor"),
    )
    assert response.status_code == 403


async def test_every_route_needs_a_token_of_the_right_role(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    published_hours = frozenset(
        {"GET /branches/{branch_id}/hours", "GET /branches/{branch_id}/hours.ics"}
    )
    assert await assert_every_route_is_guarded(app, client, also_public=published_hours) == {
        "POST /branches": {Role.STAFF},
        "PUT /branches/{branch_id}/schedule": {Role.STAFF},
        "GET /branches/{branch_id}": {Role.STAFF, Role.VIEWER, Role.DOOR},
        "POST /doors": {Role.STAFF},
        "POST /agreements": {Role.STAFF},
        "POST /agreements/lookup": {Role.STAFF},
        "POST /agreements/suspend": {Role.STAFF},
        "POST /agreements/restore": {Role.STAFF},
        "POST /agreements/withdraw": {Role.STAFF},
        "PUT /branches/{branch_id}/access-rules": {Role.STAFF},
        "PUT /branches/{branch_id}/retention": {Role.STAFF},
        "POST /doors/{door_id}/presentations": {Role.DOOR},
        "PUT /branches/{branch_id}/exceptions/{date}": {Role.STAFF},
        "DELETE /branches/{branch_id}/exceptions/{date}": {Role.STAFF},
        "GET /branches/{branch_id}/status": {Role.STAFF, Role.VIEWER, Role.DOOR},
        "POST /doors/{door_id}/counts": {Role.DOOR},
        "POST /doors/{door_id}/alarms": {Role.DOOR},
        "PUT /branches/{branch_id}/occupancy-rules": {Role.STAFF},
        "POST /branches/{branch_id}/occupants/clear": {Role.STAFF},
    }
