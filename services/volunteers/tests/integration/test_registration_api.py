"""Registration over HTTP on a real PostgreSQL: staff register, the personal data goes to the vault
and only the age band, channel, campaign and vgs status to the event; staff and the volunteer
themself read it, nobody else; a repeat under one idempotency key registers once; bad input is a
4xx that stores nothing, in the events or the vault."""

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import bearer
from tvers_volunteers.domain.person import PersonalData
from tvers_volunteers.registration import Registration
from tvers_volunteers.testing.campaigns import mall_stand, record_campaign
from tvers_volunteers.testing.people import IN_CLEAR, REGISTRATION, register

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF, subject="staff:kari")
OLA = PersonalData("Ola Nordmann", "ola@example.no", None, 1990)


async def count(app: FastAPI, sql: str) -> int:
    found: int = await app.state.infrastructure.pool.fetchval(sql)
    return found


async def stored_events(app: FastAPI) -> list[dict[str, Any]]:
    rows = await app.state.infrastructure.pool.fetch(
        "SELECT event_type, payload::text AS payload FROM events ORDER BY global_position"
    )
    return [{"type": row["event_type"], **json.loads(row["payload"])} for row in rows]


async def test_staff_register_a_volunteer_whose_event_carries_no_personal_data(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    campaign_id = await record_campaign(client, mall_stand(datetime.now(OSLO).date()))
    body = {**REGISTRATION, "vgs_student": True, "birth_year": date.today().year - 17}
    response = await client.post(
        "/volunteers", json={**body, "campaign_id": campaign_id}, headers=STAFF
    )
    assert response.status_code == 201, response.text
    volunteer_id = response.json()["volunteer_id"]
    assert response.json() == {
        "volunteer_id": volunteer_id,
        "standing": "active",
        "vgs_student": True,
        "eligible_to_host": False,
        "missing_for_hosting": [
            "no police certificate has been shown",
            "the introduction is not completed",
        ],
    }
    [_, event] = await stored_events(app)
    assert event == {
        "type": "VolunteerRegistered",
        "volunteer_id": volunteer_id,
        "age_band": "under_18",
        "vgs_student": True,
        "channel": "mall_stand",
        "campaign_id": campaign_id,
    }
    raw = await app.state.infrastructure.pool.fetchval(
        "SELECT string_agg(e::text, ' ') FROM events e"
    )
    assert not [text for text in IN_CLEAR if text in raw]


async def test_staff_and_the_volunteer_themself_read_the_personal_data(
    client: httpx.AsyncClient,
) -> None:
    volunteer_id = await register(client, headers=STAFF)
    themself = bearer(Role.VOLUNTEER, volunteer_id=UUID(volunteer_id))
    expected = {
        "volunteer_id": volunteer_id,
        "name": REGISTRATION["name"],
        "email": REGISTRATION["email"],
        "phone": REGISTRATION["phone"],
        "birth_year": REGISTRATION["birth_year"],
    }
    for headers in (STAFF, themself):
        read = await client.get(f"/volunteers/{volunteer_id}/personal-data", headers=headers)
        assert read.status_code == 200, read.text
        assert read.json() == expected
    standing = await client.get(f"/volunteers/{volunteer_id}", headers=themself)
    assert standing.json()["standing"] == "active"


async def test_a_volunteer_token_reads_and_erases_no_one_else(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    volunteer_id = await register(client)
    refusals = {
        "another volunteer": (bearer(Role.VOLUNTEER, volunteer_id=uuid4()), 403),
        "a volunteer token bound to no one": (bearer(Role.VOLUNTEER), 403),
        "a viewer": (bearer(Role.VIEWER), 403),
        "a teacher": (bearer(Role.TEACHER, school_id="larsgarden"), 403),
        "no token": ({}, 401),
    }
    for who, (headers, status) in refusals.items():
        for method, path in (
            ("GET", f"/volunteers/{volunteer_id}/personal-data"),
            ("GET", f"/volunteers/{volunteer_id}"),
            ("POST", f"/volunteers/{volunteer_id}/erase"),
        ):
            response = await client.request(method, path, headers=headers)
            assert response.status_code == status, (who, method, path, response.text)
            assert "Synn" not in response.text
    registering = await client.post(
        "/volunteers", json=REGISTRATION, headers=bearer(Role.VOLUNTEER, volunteer_id=uuid4())
    )
    assert registering.status_code == 403
    assert await count(app, "SELECT count(*) FROM events") == 1
    assert await count(app, "SELECT count(*) FROM volunteer_vault WHERE erased_at IS NULL") == 1


async def test_unknown_volunteers_are_not_found_and_get_nothing_kept(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    nobody = uuid4()
    for method, path in (
        ("GET", f"/volunteers/{nobody}/personal-data"),
        ("GET", f"/volunteers/{nobody}"),
        ("POST", f"/volunteers/{nobody}/erase"),
    ):
        response = await client.request(method, path, headers=STAFF)
        assert (response.status_code, response.json()["error"]) == (404, "not_found")
    assert await count(app, "SELECT count(*) FROM volunteer_vault") == 0
    assert await count(app, "SELECT count(*) FROM events") == 0


async def test_the_same_registration_twice_under_one_key_registers_one_volunteer(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    keyed = {**STAFF, "Idempotency-Key": "register-synnove"}
    first = await client.post("/volunteers", json=REGISTRATION, headers=keyed)
    again = await client.post("/volunteers", json=REGISTRATION, headers=keyed)
    at_once = await asyncio.gather(
        *(client.post("/volunteers", json=REGISTRATION, headers=keyed) for _ in range(3))
    )
    answers = [first, again, *at_once]
    assert [a.status_code for a in answers] == [201] * 5, [a.text for a in answers]
    assert len({a.json()["volunteer_id"] for a in answers}) == 1
    assert await count(app, "SELECT count(*) FROM events") == 1
    assert await count(app, "SELECT count(*) FROM volunteer_vault WHERE registered") == 1


async def test_two_first_uses_of_one_key_with_different_people_register_one_with_their_own_data(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    other = {**REGISTRATION, "name": "Ola Nordmann", "email": "ola@example.no", "phone": None}
    for attempt in range(4):
        keyed = {**STAFF, "Idempotency-Key": f"race-{attempt}"}
        answers = await asyncio.gather(
            client.post("/volunteers", json=REGISTRATION, headers=keyed),
            client.post("/volunteers", json=other, headers=keyed),
        )
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
        (won,) = [a for a in answers if a.status_code == 201]
        (lost,) = [a for a in answers if a.status_code == 409]
        assert lost.json()["error"] == "idempotency_key_reused"
        read = await client.get(
            f"/volunteers/{won.json()['volunteer_id']}/personal-data", headers=STAFF
        )
        sent = json.loads(won.request.content)
        assert (read.json()["name"], read.json()["email"]) == (sent["name"], sent["email"])
    assert await count(app, "SELECT count(*) FROM events") == 4
    assert await count(app, "SELECT count(*) FROM volunteer_vault") == 4


async def test_another_registration_under_a_used_key_is_refused_and_keeps_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    keyed = {**STAFF, "Idempotency-Key": "register-1"}
    first = await client.post("/volunteers", json=REGISTRATION, headers=keyed)
    other = {**REGISTRATION, "name": "Ola Nordmann"}
    refused = await client.post("/volunteers", json=other, headers=keyed)
    assert (first.status_code, refused.status_code) == (201, 409), refused.text
    assert refused.json()["error"] == "idempotency_key_reused"
    read = await client.get(
        f"/volunteers/{first.json()['volunteer_id']}/personal-data", headers=STAFF
    )
    assert read.json()["name"] == REGISTRATION["name"]
    # The key was used for a shift first: the registration under it is refused, nothing kept.
    await learn_branches(app, "brattvag")
    shift_key = {**STAFF, "Idempotency-Key": "shift-then-volunteer"}
    starts = datetime.now(UTC) + timedelta(days=2)
    shift = {
        "branch_id": "brattvag",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
    }
    assert (await client.post("/shifts", json=shift, headers=shift_key)).status_code == 201
    reused = await client.post("/volunteers", json=other, headers=shift_key)
    assert (reused.status_code, reused.json()["error"]) == (409, "idempotency_key_reused")
    assert await count(app, "SELECT count(*) FROM volunteer_vault") == 1
    assert (
        await count(app, "SELECT count(*) FROM events WHERE event_type = 'VolunteerRegistered'")
        == 1
    )


BAD = [
    pytest.param({"birth_year": date.today().year - 14}, 422, "rule_violated", id="too-young"),
    pytest.param({"birth_year": 1850}, 422, "invalid_request", id="too-old-for-the-schema"),
    pytest.param({"birth_year": "1987"}, 422, "invalid_request", id="year-as-text"),
    pytest.param({"email": "synnove.example.no"}, 422, "invalid_request", id="no-at-sign"),
    pytest.param({"phone": "ring meg"}, 422, "invalid_request", id="phone-in-words"),
    pytest.param({"name": "   "}, 422, "invalid_request", id="blank-name"),
    pytest.param({"name": "Synn\u0000ve"}, 422, "invalid_request", id="nul-in-name"),
    pytest.param({"name": "Ola\u0007Nordmann"}, 422, "invalid_request", id="bell-in-name"),
    pytest.param({"name": "Ola\nNordmann"}, 422, "invalid_request", id="newline-in-name"),
    pytest.param({"name": "Ola\u2028Nordmann"}, 422, "invalid_request", id="line-sep-in-name"),
    pytest.param({"name": "Ola \u202eNordmann"}, 422, "invalid_request", id="bidi-override"),
    pytest.param({"name": "\u2067Ola\u2069"}, 422, "invalid_request", id="bidi-isolate"),
    pytest.param({"name": "\u200b\u200d"}, 422, "invalid_request", id="only-zero-width"),
    pytest.param({"name": "1234 --"}, 422, "invalid_request", id="name-without-a-letter"),
    pytest.param({"channel": "billboard"}, 422, "invalid_request", id="unknown-channel"),
    pytest.param({"vgs_student": "yes"}, 422, "invalid_request", id="vgs-as-text"),
    pytest.param({"national_id": "01018712345"}, 422, "invalid_request", id="unknown-field"),
    pytest.param({"campaign_id": "summer"}, 422, "invalid_request", id="campaign-not-an-id"),
]


@pytest.mark.parametrize(("changes", "status", "error"), BAD)
async def test_a_bad_registration_is_refused_and_stores_and_keeps_nothing(
    client: httpx.AsyncClient, app: FastAPI, changes: dict[str, Any], status: int, error: str
) -> None:
    response = await client.post("/volunteers", json={**REGISTRATION, **changes}, headers=STAFF)
    assert (response.status_code, response.json()["error"]) == (status, error), response.text
    assert await count(app, "SELECT count(*) FROM events") == 0
    assert await count(app, "SELECT count(*) FROM volunteer_vault") == 0


async def test_a_key_given_twice_is_refused_and_keeps_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    body = json.dumps(REGISTRATION)[:-1] + ', "name": "Ola Nordmann"}'
    response = await client.post(
        "/volunteers", content=body, headers={**STAFF, "Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["error"]) == (400, "invalid_json")
    assert await count(app, "SELECT count(*) FROM volunteer_vault") == 0


async def test_a_registration_cut_off_before_its_event_is_settled_by_the_service(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    cases: Registration = app.state.registration
    registered = await register(client)
    # As if the process died after storing the event and before confirming the row ...
    await app.state.infrastructure.pool.execute("UPDATE volunteer_vault SET registered = false")
    # ... and another one before storing the event at all.
    abandoned = uuid4()
    await app.state.vault.keep(abandoned, OLA, request=None)
    assert await cases.settle_unregistered(older_than=timedelta(hours=1)) == 0
    assert await cases.settle_unregistered(older_than=timedelta(0)) == 2
    ids = await app.state.infrastructure.pool.fetch(
        "SELECT volunteer_id, registered FROM volunteer_vault"
    )
    assert [(str(row["volunteer_id"]), row["registered"]) for row in ids] == [(registered, True)]
    read = await client.get(f"/volunteers/{registered}/personal-data", headers=STAFF)
    assert read.json()["email"] == REGISTRATION["email"]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Åse O'Neill-Bø", id="apostrophe-hyphen-norwegian"),
        pytest.param("Nguyễn Thị Minh Khai", id="vietnamese"),
        pytest.param("Zoe\u0308 Lindqvist", id="combining-mark"),
        pytest.param("\u0645\u0647\u200c\u0631\u0627\u0646", id="persian-with-zwnj"),
        pytest.param("Анна Иванова", id="cyrillic"),
        pytest.param("\u674e\u5c0f\u9f99", id="chinese"),
    ],
)
async def test_names_in_any_script_are_kept_as_given(client: httpx.AsyncClient, name: str) -> None:
    volunteer_id = await register(client, {**REGISTRATION, "name": name}, headers=STAFF)
    read = await client.get(f"/volunteers/{volunteer_id}/personal-data", headers=STAFF)
    assert read.json()["name"] == name


async def test_another_person_under_a_key_whose_row_is_gone_is_refused_not_taken_as_a_repeat(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    keyed = {**STAFF, "Idempotency-Key": "register-2026-1"}
    first = await client.post("/volunteers", json=REGISTRATION, headers=keyed)
    assert first.status_code == 201, first.text
    await app.state.infrastructure.pool.execute("DELETE FROM idempotency_keys")  # row gone
    other = {**REGISTRATION, "name": "Ola Nordmann", "email": "ola@example.no"}
    second = await client.post("/volunteers", json=other, headers=keyed)
    assert (second.status_code, second.json()["error"]) == (409, "idempotency_key_reused")
    repeat = await client.post("/volunteers", json=REGISTRATION, headers=keyed)
    assert (repeat.status_code, repeat.json()) == (201, first.json())
    volunteer_id = first.json()["volunteer_id"]
    read = await client.get(f"/volunteers/{volunteer_id}/personal-data", headers=STAFF)
    assert read.json()["name"] == REGISTRATION["name"]
    assert (
        await count(app, "SELECT count(*) FROM events WHERE event_type = 'VolunteerRegistered'")
        == 1
    )
