"""Hostile tests of the access API's input handling and of where a card number may end up.

Each test here shows a defect found by hand. A new one is marked ``xfail(strict=True)`` while the
defect stands (the strict mark makes the run fail once it is fixed); then the mark is dropped.
"""

import hashlib
import json

import httpx
import pytest
from fastapi import FastAPI

from tvers_access.testing.door_setup import (
    CARD,
    DOOR,
    PIN,
    PRESENTATIONS,
    STAFF,
    event_count,
    set_up_meirope_door,
)
from tvers_runtime.idempotency import canonical_body, canonical_query

pytestmark = pytest.mark.servers


def bare_fingerprint(*, method: str, path: str, query: str, body: bytes) -> str:
    """What anyone can compute from a guessed request: a bare SHA-256 of it, the way the
    fingerprints were made before they were keyed."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), canonical_query(query).encode()):
        digest.update(len(part).to_bytes(8, "big") + part)
    digest.update(canonical_body(body))
    return digest.hexdigest()


async def test_a_door_requests_fingerprint_does_not_let_card_and_pin_be_recomputed(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_meirope_door(client)
    presented = await client.post(
        PRESENTATIONS,
        json={"card_number": CARD, "pin": PIN},
        headers={**DOOR, "Idempotency-Key": "panel-1"},
    )
    assert presented.status_code == 200
    stored = await app.state.infrastructure.pool.fetchval(
        "SELECT fingerprint FROM idempotency_keys"
    )
    # What someone with a copy of the database and a list of cards and PINs can compute:
    guesses = {
        bare_fingerprint(
            method="POST",
            path=PRESENTATIONS,
            query="",
            body=json.dumps({"card_number": card, "pin": pin}).encode(),
        ): (card, pin)
        for card in (f"15080001{n:02d}" for n in range(100))
        for pin in ("1234", "2468", "0000")
    }
    assert stored not in guesses, f"card and PIN recomputed: {guesses[stored]}"


async def test_an_agreements_fingerprint_does_not_let_the_card_number_be_recomputed(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    signed = await client.post(
        "/agreements",
        json={"card_number": CARD},
        headers={**STAFF, "Idempotency-Key": "desk-1"},
    )
    assert signed.status_code == 201
    stored = await app.state.infrastructure.pool.fetchval(
        "SELECT fingerprint FROM idempotency_keys"
    )
    recomputed = bare_fingerprint(
        method="POST", path="/agreements", query="", body=json.dumps({"card_number": CARD}).encode()
    )
    assert stored != recomputed


@pytest.mark.parametrize("padded", [f"{CARD}\n", f"\r\n{CARD}\r\n"])
async def test_a_card_number_with_spaces_around_it_is_checked_as_the_card_it_names(
    client: httpx.AsyncClient, padded: str
) -> None:
    await set_up_meirope_door(client)
    answer = await client.post(
        PRESENTATIONS, json={"card_number": padded, "pin": PIN}, headers=DOOR
    )
    assert answer.status_code == 200
    assert (answer.json()["entry"], answer.json()["reason"]) == ("granted", None)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/branches/skodje/exceptions/{today}", {"periods": [], "label": "\x1b[2J\x07"}),
        ("PUT", "/branches/skodje/exceptions/{today}", {"periods": [], "label": "   "}),
        ("POST", "/branches", {"branch_id": "giske", "name": "Giske\r\nX-Injected: 1"}),
        ("POST", "/branches", {"branch_id": "giske", "name": "\u202eeksig"}),
        (
            "POST",
            "/doors",
            {"door_id": "skodje-bakdor", "branch_id": "skodje", "name": "Bak\x1b[31m"},
        ),
    ],
    ids=["label-escape", "label-blank", "name-crlf", "name-bidi", "door-name-escape"],
)
async def test_labels_and_names_with_control_characters_are_refused_and_append_nothing(
    client: httpx.AsyncClient, app: FastAPI, method: str, path: str, body: dict[str, object]
) -> None:
    from datetime import UTC, datetime  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    await set_up_meirope_door(client)
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Oslo")).date().isoformat()
    before = await event_count(app)
    answer = await client.request(method, path.format(today=today), json=body, headers=STAFF)
    assert answer.status_code == 422, answer.text
    assert set(answer.json()) == {"error", "detail"}
    assert await event_count(app) == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/branches/skodje/retention", {"door_decisions_days": "30"}),
        ("/branches/skodje/access-rules", {"meirope_min_age": True}),
        ("/branches/skodje/occupancy-rules", {"check_after_minutes": "5"}),
    ],
)
async def test_a_number_sent_as_a_string_or_a_boolean_is_refused(
    client: httpx.AsyncClient, app: FastAPI, path: str, body: dict[str, object]
) -> None:
    await set_up_meirope_door(client)
    before = await event_count(app)
    answer = await client.put(path, json=body, headers=STAFF)
    assert answer.status_code == 422, answer.text
    assert await event_count(app) == before


async def test_a_body_with_a_key_given_twice_is_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    before = await event_count(app)
    answer = await client.post(
        "/branches",
        content=b'{"branch_id": "giske", "branch_id": "vigra", "name": "Giske"}',
        headers={**STAFF, "Content-Type": "application/json"},
    )
    assert answer.status_code in (400, 422), answer.text
    assert await event_count(app) == before


async def test_a_door_token_reads_only_its_own_branch(client: httpx.AsyncClient) -> None:
    await set_up_meirope_door(client)
    other = await client.post(
        "/branches", json={"branch_id": "giske", "name": "Giske"}, headers=STAFF
    )
    assert other.status_code == 201
    assert (await client.get("/branches/skodje/status", headers=DOOR)).status_code == 200
    status = await client.get("/branches/giske/status", headers=DOOR)
    branch = await client.get("/branches/giske", headers=DOOR)
    assert (status.status_code, branch.status_code) == (403, 403)


async def test_two_identical_periods_of_an_exception_are_refused_as_overlapping(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    from datetime import UTC, datetime  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    await set_up_meirope_door(client)
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Oslo")).date().isoformat()
    period = {"starts": "10:00", "ends": "12:00", "kind": "staffed"}
    before = await event_count(app)
    answer = await client.put(
        f"/branches/skodje/exceptions/{today}",
        json={"periods": [period, {**period, "kind": "meirope"}]},
        headers=STAFF,
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "rule_violated"
    assert await event_count(app) == before
