"""Recruitment campaigns over HTTP on a real PostgreSQL: staff record, correct and end them;
staff and viewers list them by channel and by the day they run; bad input is a 4xx that appends
nothing; a registration names a recorded campaign and takes its channel, or is refused and keeps
nothing in the vault."""

import json
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.clock import fixed_clock
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.bootstrap import build_app
from tvers_volunteers.testing.campaigns import mall_stand, record_campaign
from tvers_volunteers.testing.people import REGISTRATION
from tvers_volunteers.testing.settings import volunteers_settings

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF, subject="staff:kari")
VIEWER = bearer(Role.VIEWER)
#: The service's today (Europe/Oslo), from the clock it is given.
TODAY = date(2026, 9, 14)
MOA = mall_stand(TODAY)
SPJELKAVIK = {
    "channel": "vgs_visit",
    "place": "Spjelkavik vgs",
    "starts_on": (TODAY + timedelta(days=10)).isoformat(),
    "ends_on": (TODAY + timedelta(days=10)).isoformat(),
}


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest) -> FastAPI:
    """The service, on the test's servers, at 10:00 in Ålesund on ``TODAY``."""
    now = datetime.combine(TODAY, time(10), OSLO)
    return build_app(volunteers_settings(database_url, nats_server.url), clock=fixed_clock(now))


async def stored(app: FastAPI) -> list[dict[str, Any]]:
    rows = await app.state.infrastructure.pool.fetch(
        "SELECT event_type, stream_id, payload::text AS payload FROM events "
        "ORDER BY global_position"
    )
    return [
        {"type": row["event_type"], "stream": row["stream_id"], **json.loads(row["payload"])}
        for row in rows
    ]


async def count(app: FastAPI, sql: str) -> int:
    found: int = await app.state.infrastructure.pool.fetchval(sql)
    return found


async def test_staff_record_a_campaign_on_its_own_stream(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    response = await client.post("/campaigns", json=MOA, headers=STAFF)
    assert response.status_code == 201, response.text
    campaign_id = response.json()["campaign_id"]
    assert response.json() == {"campaign_id": campaign_id, **MOA, "ended_on": None}
    assert await stored(app) == [
        {
            "type": "CampaignRecorded",
            "stream": f"campaign-{campaign_id}",
            "campaign_id": campaign_id,
            **MOA,
            "staff_id": "staff:kari",
        }
    ]
    for headers in (STAFF, VIEWER):
        read = await client.get(f"/campaigns/{campaign_id}", headers=headers)
        assert (read.status_code, read.json()) == (200, response.json())


async def test_the_same_campaign_twice_under_one_key_is_recorded_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    keyed = {**STAFF, "Idempotency-Key": "moa-2026"}
    first = await client.post("/campaigns", json=MOA, headers=keyed)
    again = await client.post("/campaigns", json=MOA, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    other = await client.post("/campaigns", json=SPJELKAVIK, headers=keyed)
    assert (other.status_code, other.json()["error"]) == (409, "idempotency_key_reused")
    assert await count(app, "SELECT count(*) FROM events") == 1


async def test_staff_and_viewers_list_campaigns_by_channel_and_by_the_day_they_run(
    client: httpx.AsyncClient,
) -> None:
    moa = await record_campaign(client, MOA)
    spjelkavik = await record_campaign(client, SPJELKAVIK)
    friskus = await record_campaign(
        client,
        {
            "channel": "friskus",
            "place": "Friskus",
            "starts_on": (TODAY - timedelta(days=90)).isoformat(),
            "ends_on": (TODAY + timedelta(days=90)).isoformat(),
        },
    )

    async def listed(**query: str) -> list[str]:
        response = await client.get("/campaigns", params=query, headers=VIEWER)
        assert response.status_code == 200, response.text
        return [c["campaign_id"] for c in response.json()]

    assert await listed() == [spjelkavik, moa, friskus]  # the latest start first
    assert await listed(channel="vgs_visit") == [spjelkavik]
    assert await listed(active_on=TODAY.isoformat()) == [moa, friskus]
    assert await listed(active_on=(TODAY + timedelta(days=10)).isoformat()) == [spjelkavik, friskus]
    assert await listed(active_on=TODAY.isoformat(), channel="mall_stand") == [moa]
    assert await listed(active_on=(TODAY + timedelta(days=200)).isoformat()) == []
    other_town = await client.get("/campaigns", headers=bearer(Role.STAFF, tenant="1505"))
    assert other_town.json() == []
    elsewhere = await client.get(f"/campaigns/{moa}", headers=bearer(Role.STAFF, tenant="1505"))
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (404, "not_found")


async def test_staff_correct_a_campaign_and_the_same_fields_again_store_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    campaign_id = await record_campaign(client, MOA)
    moved = {**MOA, "place": "Kremmergaarden", "ends_on": (TODAY + timedelta(days=3)).isoformat()}
    for _ in range(2):
        response = await client.post(
            f"/campaigns/{campaign_id}/corrections", json=moved, headers=STAFF
        )
        assert response.status_code == 200, response.text
        assert response.json() == {"campaign_id": campaign_id, **moved, "ended_on": None}
    assert [e["type"] for e in await stored(app)] == ["CampaignRecorded", "CampaignCorrected"]
    listed = await client.get("/campaigns", headers=VIEWER)
    assert listed.json()[0]["place"] == "Kremmergaarden"


async def test_staff_end_a_campaign_early_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    campaign_id = await record_campaign(client, MOA)
    ended = await client.post(f"/campaigns/{campaign_id}/end", headers=STAFF)
    assert ended.status_code == 200, ended.text
    assert ended.json()["ended_on"] == TODAY.isoformat()
    again = await client.post(
        f"/campaigns/{campaign_id}/end", json={"ended_on": TODAY.isoformat()}, headers=STAFF
    )
    assert (again.status_code, again.json()["error"]) == (409, "conflict")
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    listed = await client.get("/campaigns", params={"active_on": tomorrow}, headers=STAFF)
    assert listed.json() == []
    assert [e["type"] for e in await stored(app)] == ["CampaignRecorded", "CampaignEnded"]


async def test_a_campaign_is_ended_on_the_day_staff_name(client: httpx.AsyncClient) -> None:
    campaign_id = await record_campaign(client, MOA)
    day = (TODAY + timedelta(days=2)).isoformat()
    ended = await client.post(
        f"/campaigns/{campaign_id}/end", json={"ended_on": day}, headers=STAFF
    )
    assert (ended.status_code, ended.json()["ended_on"]) == (200, day), ended.text


async def test_viewers_volunteers_and_strangers_change_no_campaign(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    campaign_id = await record_campaign(client, MOA)
    refusals = {
        "a viewer": (VIEWER, 403),
        "a volunteer": (bearer(Role.VOLUNTEER, volunteer_id=uuid4()), 403),
        "no token": ({}, 401),
        "staff whose subject is an e-mail address": (
            bearer(Role.STAFF, subject="kari@alesund.kommune.no"),
            403,
        ),
    }
    for who, (headers, status) in refusals.items():
        for path, body in (
            ("/campaigns", MOA),
            (f"/campaigns/{campaign_id}/corrections", MOA),
            (f"/campaigns/{campaign_id}/end", {}),
        ):
            response = await client.post(path, json=body, headers=headers)
            assert response.status_code == status, (who, path, response.text)
    for headers, status in (({}, 401), (bearer(Role.VOLUNTEER, volunteer_id=uuid4()), 403)):
        assert (await client.get("/campaigns", headers=headers)).status_code == status
        assert (await client.get(f"/campaigns/{campaign_id}", headers=headers)).status_code == (
            status
        )
    assert await count(app, "SELECT count(*) FROM events") == 1


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


BAD = [
    pytest.param({"place": "kari.nordmann@example.no"}, "invalid_request", id="place-an-email"),
    pytest.param({"place": "+47 912 34 567"}, "invalid_request", id="place-a-phone"),
    pytest.param({"place": "Ring 91234567"}, "invalid_request", id="place-with-a-phone"),
    pytest.param({"place": "Moa\nAmfi"}, "invalid_request", id="place-two-lines"),
    pytest.param({"place": "Moa \u202eAmfi"}, "invalid_request", id="place-bidi-override"),
    pytest.param({"place": "   "}, "invalid_request", id="place-blank"),
    pytest.param({"place": "M" * 81}, "invalid_request", id="place-too-long"),
    pytest.param({"channel": "billboard"}, "invalid_request", id="unknown-channel"),
    pytest.param({"starts_on": "14.09.2026"}, "invalid_request", id="date-not-iso"),
    pytest.param({"starts_on": 20260914}, "invalid_request", id="date-a-number"),
    pytest.param({"ends_on": days(-2)}, "rule_violated", id="ends-before-it-starts"),
    pytest.param({"ends_on": days(400)}, "rule_violated", id="longer-than-a-year"),
    pytest.param({"starts_on": days(-400), "ends_on": days(-390)}, "rule_violated", id="long-ago"),
    pytest.param({"starts_on": days(401), "ends_on": days(402)}, "rule_violated", id="far-ahead"),
    pytest.param({"starts_on": "9999-12-31", "ends_on": "9999-12-31"}, "rule_violated", id="9999"),
    pytest.param({"budget": 1000}, "invalid_request", id="unknown-field"),
]


@pytest.mark.parametrize(("changes", "error"), BAD)
async def test_a_bad_campaign_is_refused_and_appends_nothing(
    client: httpx.AsyncClient, app: FastAPI, changes: dict[str, Any], error: str
) -> None:
    response = await client.post("/campaigns", json={**MOA, **changes}, headers=STAFF)
    assert (response.status_code, response.json()["error"]) == (422, error), response.text
    assert await count(app, "SELECT count(*) FROM events") == 0


async def test_a_place_is_kept_without_its_surrounding_spaces(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/campaigns", json={**MOA, "place": "  Sunnmørsposten "}, headers=STAFF
    )
    assert (response.status_code, response.json()["place"]) == (201, "Sunnmørsposten")


@pytest.mark.parametrize(
    ("path", "body", "status", "error"),
    [
        pytest.param("corrections", {**MOA, "ends_on": days(-3)}, 422, "rule_violated", id="dates"),
        pytest.param("corrections", {**MOA, "place": "a@b"}, 422, "invalid_request", id="place"),
        pytest.param("end", {"ended_on": days(5)}, 422, "rule_violated", id="end-not-early"),
        pytest.param("end", {"ended_on": days(-3)}, 422, "rule_violated", id="end-before-start"),
        pytest.param("end", {"ended_on": "soon"}, 422, "invalid_request", id="end-not-a-date"),
        pytest.param("end", [], 422, "invalid_request", id="end-body-a-list"),
    ],
)
async def test_a_bad_correction_or_end_is_refused_and_appends_nothing(
    client: httpx.AsyncClient, app: FastAPI, path: str, body: Any, status: int, error: str
) -> None:
    campaign_id = await record_campaign(client, MOA)
    response = await client.post(f"/campaigns/{campaign_id}/{path}", json=body, headers=STAFF)
    assert (response.status_code, response.json()["error"]) == (status, error), response.text
    assert await count(app, "SELECT count(*) FROM events") == 1


async def test_an_unknown_campaign_is_not_found_and_nothing_is_appended(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    nowhere = uuid4()
    for method, path, body in (
        ("GET", f"/campaigns/{nowhere}", None),
        ("POST", f"/campaigns/{nowhere}/corrections", MOA),
        ("POST", f"/campaigns/{nowhere}/end", {}),
    ):
        response = await client.request(method, path, json=body, headers=STAFF)
        assert (response.status_code, response.json()["error"]) == (404, "not_found")
    assert await count(app, "SELECT count(*) FROM events") == 0


async def test_a_registration_through_a_campaign_takes_its_channel(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    campaign_id = await record_campaign(client, MOA)
    body = {key: value for key, value in REGISTRATION.items() if key != "channel"}
    response = await client.post(
        "/volunteers", json={**body, "campaign_id": campaign_id}, headers=STAFF
    )
    assert response.status_code == 201, response.text
    named = await client.post(
        "/volunteers",
        json={**REGISTRATION, "email": "ola@example.no", "campaign_id": campaign_id},
        headers=STAFF,
    )
    assert named.status_code == 201, named.text
    registered = [e for e in await stored(app) if e["type"] == "VolunteerRegistered"]
    assert [(e["channel"], e["campaign_id"]) for e in registered] == [
        ("mall_stand", campaign_id),
        ("mall_stand", campaign_id),
    ]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        pytest.param({"campaign_id": str(uuid4())}, "unknown_reference", id="unknown-campaign"),
        pytest.param({"channel": "friskus", "campaign": "moa"}, "rule_violated", id="channel"),
        pytest.param({"campaign": "spjelkavik"}, "rule_violated", id="campaign-not-begun"),
        pytest.param({"channel": None}, "rule_violated", id="no-channel-no-campaign"),
    ],
)
async def test_a_registration_naming_a_campaign_it_cannot_have_come_through_keeps_nothing(
    client: httpx.AsyncClient, app: FastAPI, changes: dict[str, Any], error: str
) -> None:
    recorded = {
        "moa": await record_campaign(client, MOA),
        "spjelkavik": await record_campaign(client, SPJELKAVIK),
    }
    body = {**REGISTRATION, **changes}
    if "campaign" in body:
        body["campaign_id"] = recorded[body.pop("campaign")]
    response = await client.post("/volunteers", json=body, headers=STAFF)
    assert (response.status_code, response.json()["error"]) == (422, error), response.text
    assert await count(app, "SELECT count(*) FROM events") == 2
    assert await count(app, "SELECT count(*) FROM volunteer_vault") == 0


async def test_a_registration_cannot_name_another_towns_campaign(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    campaign_id = await record_campaign(client, MOA)
    elsewhere = bearer(Role.STAFF, tenant="1505")
    response = await client.post(
        "/volunteers", json={**REGISTRATION, "campaign_id": campaign_id}, headers=elsewhere
    )
    assert (response.status_code, response.json()["error"]) == (422, "unknown_reference")
    assert await count(app, "SELECT count(*) FROM volunteer_vault") == 0
