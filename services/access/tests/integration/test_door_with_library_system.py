"""The door over HTTP with a real library system to ask (the pysip2 peer), PostgreSQL and NATS:
what the library system says, agreements suspended and restored, a child after the guardian, and
a library system that is down."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tvers_access.testing.sip2_peer import Sip2Peer
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
DOOR = bearer(Role.DOOR, door_id="skodje-hovuddor")
ADULT, ADULT_PIN = "1508000101", "2468"
BLOCKED, BLOCKED_PIN = "1508000202", "1111"
GUARDIAN, GUARDIAN_PIN = "1508000401", "3141"
CHILD, CHILD_PIN = "1508000503", "1003"  # born 2016: under 12 for years to come
ALL_DAY_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": "meirope"} for d in range(1, 8)
]


async def set_up(client: httpx.AsyncClient, **rules: object) -> None:
    calls = [
        await client.post(
            "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
        ),
        await client.put(
            "/branches/skodje/schedule", json={"periods": ALL_DAY_MEIROPE}, headers=STAFF
        ),
        await client.put(
            "/branches/skodje/access-rules",
            json={"meirope_min_age": 15, "unaccompanied_min_age": 12, **rules},
            headers=STAFF,
        ),
        await client.post(
            "/doors",
            json={"door_id": "skodje-hovuddor", "branch_id": "skodje", "name": "Hovuddør"},
            headers=STAFF,
        ),
    ]
    assert [c.status_code for c in calls] == [201, 200, 200, 201], [c.text for c in calls]


async def sign(client: httpx.AsyncClient, card: str, **extra: object) -> None:
    response = await client.post("/agreements", json={"card_number": card, **extra}, headers=STAFF)
    assert response.status_code == 201, response.text


async def present(client: httpx.AsyncClient, card: str, pin: str) -> dict[str, object]:
    response = await client.post(
        "/doors/skodje-hovuddor/presentations",
        json={"card_number": card, "pin": pin},
        headers=DOOR,
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_the_library_systems_answer_decides_at_the_door(client: httpx.AsyncClient) -> None:
    await set_up(client)
    await sign(client, ADULT)
    await sign(client, BLOCKED)
    assert (await present(client, ADULT, "0000"))["reason"] == "wrong_pin"
    assert (await present(client, "1508999999", "1234"))["reason"] == "unknown_card"
    blocked = await present(client, BLOCKED, BLOCKED_PIN)
    assert blocked["reason"] == "blocked_card"
    assert blocked["message_nn"] == "Kortet er sperra. Ta kontakt med biblioteket."
    granted = await present(client, ADULT, ADULT_PIN)
    assert granted["entry"] == "granted"
    assert granted["verified"] is True


async def test_a_suspended_agreement_keeps_the_door_shut_until_restored(
    client: httpx.AsyncClient,
) -> None:
    await set_up(client)
    await sign(client, ADULT)
    suspended = await client.post(
        "/agreements/suspend",
        json={"card_number": ADULT, "reason": "let_others_in"},
        headers=STAFF,
    )
    assert suspended.status_code == 200, suspended.text
    assert (await present(client, ADULT, ADULT_PIN))["reason"] == "suspended"
    looked_up = await client.post("/agreements/lookup", json={"card_number": ADULT}, headers=STAFF)
    assert looked_up.json()["standing"] == "suspended"
    assert looked_up.json()["suspension"] == "let_others_in"
    restored = await client.post("/agreements/restore", json={"card_number": ADULT}, headers=STAFF)
    assert restored.status_code == 200, restored.text
    assert (await present(client, ADULT, ADULT_PIN))["entry"] == "granted"
    withdrawn = await client.post(
        "/agreements/withdraw", json={"card_number": ADULT}, headers=STAFF
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert (await present(client, ADULT, ADULT_PIN))["reason"] == "no_agreement"


async def test_a_young_child_comes_in_right_after_the_guardian(client: httpx.AsyncClient) -> None:
    await set_up(client)
    await sign(client, GUARDIAN)
    await sign(client, CHILD, guardian_consent=True, guardian_card_number=GUARDIAN)
    alone = await present(client, CHILD, CHILD_PIN)
    assert alone["reason"] == "under_age"
    assert alone["message_en"] == "You must come in together with your guardian."
    assert (await present(client, GUARDIAN, GUARDIAN_PIN))["entry"] == "granted"
    assert (await present(client, CHILD, CHILD_PIN))["entry"] == "granted"


async def test_a_child_without_a_guardians_consent_is_under_age(
    client: httpx.AsyncClient,
) -> None:
    await set_up(client)
    await sign(client, CHILD)
    assert (await present(client, CHILD, CHILD_PIN))["reason"] == "under_age"


async def test_an_unreachable_library_system_fails_closed_unless_the_branch_says_otherwise(
    client: httpx.AsyncClient, sip2_peer: Sip2Peer
) -> None:
    await set_up(client)
    await sign(client, ADULT)
    await sip2_peer.stop()
    assert (await present(client, ADULT, ADULT_PIN))["reason"] == "library_system_unreachable"
    lenient = await client.put(
        "/branches/skodje/access-rules",
        json={"meirope_min_age": 15, "when_unreachable": "agreement_holders"},
        headers=STAFF,
    )
    assert lenient.status_code == 200, lenient.text
    let_in = await present(client, ADULT, ADULT_PIN)
    assert let_in["entry"] == "granted"
    assert let_in["verified"] is False
    await sip2_peer.start()
    assert (await present(client, ADULT, ADULT_PIN))["verified"] is True


@pytest.mark.parametrize(
    ("path", "body", "says"),
    [
        ("/agreements", {"card_number": CHILD, "guardian_card_number": GUARDIAN}, "consent"),
        (
            "/agreements",
            {"card_number": CHILD, "guardian_consent": True, "guardian_card_number": "99999999"},
            "guardian has no meirope agreement",
        ),
        ("/agreements", {"card_number": ADULT, "birth_date": "2999-01-01"}, "birth_date"),
        ("/agreements/suspend", {"card_number": ADULT, "reason": "noisy"}, "reason"),
        ("/agreements/suspend", {"card_number": ADULT, "reason": "other"}, "no meirope agreement"),
        ("/agreements/restore", {"card_number": ADULT}, "no meirope agreement"),
        (
            "/branches/skodje/access-rules",
            {"meirope_min_age": 10, "unaccompanied_min_age": 12},
            "unaccompanied",
        ),
        (
            "/branches/skodje/access-rules",
            {"meirope_min_age": 15, "guardian_window_seconds": 0},
            "guardian_window_seconds",
        ),
        ("/branches/nowhere/access-rules", {"meirope_min_age": 15}, "no such branch"),
    ],
)
async def test_bad_agreement_and_rule_commands_are_refused_and_change_nothing(
    client: httpx.AsyncClient, app: FastAPI, path: str, body: dict[str, object], says: str
) -> None:
    await set_up(client)
    before = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    call = client.put if "access-rules" in path else client.post
    response = await call(path, json=body, headers=STAFF)
    assert 400 <= response.status_code < 500, response.text
    assert says in response.text
    after = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    assert after == before
