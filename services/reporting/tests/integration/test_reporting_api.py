"""Reporting over HTTP on a real PostgreSQL and NATS: it projects what the other services
publish, and serves it to viewers only."""

import asyncio
from datetime import UTC, date, datetime
from uuid import uuid4

import httpx
import nats
import pytest
from fastapi import FastAPI

from tvers_contracts import DomainEvent, Envelope, event_subject
from tvers_contracts.events.access import EntryGranted
from tvers_contracts.events.visits import ClassVisitHeld, Programme, school_year_of
from tvers_contracts.values import OpeningKind
from tvers_reporting.testing.dashboard import PAGE_ROUTES
from tvers_runtime.auth import Role
from tvers_runtime.relay import ensure_stream
from tvers_runtime.testing.http import assert_every_route_is_guarded, bearer
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
VIEWER = bearer(Role.VIEWER)
ROUTES_OF_THE_DESK = ("demand", "overlap", "referrals")


async def publish(
    nats_url: str,
    service: str,
    payload: DomainEvent,
    stream_id: str,
    *,
    stream_version: int,
    occurred_at: datetime,
) -> None:
    """Publish one event as its owner's relay would: each event of a stream at its own version
    (a second event at a version already seen is a repeat, and dropped)."""
    client = await nats.connect(nats_url)
    try:
        await ensure_stream(client.jsm(), service)
        envelope = Envelope[DomainEvent](
            event_id=uuid4(),
            event_type=type(payload).__name__,
            schema_version=1,
            tenant="1508",
            stream_id=stream_id,
            stream_version=stream_version,
            occurred_at=occurred_at,
            recorded_at=occurred_at,
            correlation_id=uuid4(),
            payload=payload,
        )
        await client.jetstream().publish(
            event_subject(type(payload)), envelope.model_dump_json(serialize_as_any=True).encode()
        )
    finally:
        await client.close()


async def eventually_rows(client: httpx.AsyncClient, query: str = "") -> list[dict[str, object]]:
    for _ in range(100):
        rows: list[dict[str, object]] = (
            await client.get(f"/api/daily{query}", headers=VIEWER)
        ).json()
        if rows:
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError("nothing projected")


async def test_published_events_appear_per_branch_and_local_day(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    # 23:30 UTC on 14 June is already 15 June in Oslo (summer time): the entry counts on the 15th.
    late_evening = datetime(2026, 6, 14, 23, 30, tzinfo=UTC)
    oslo_day = date(2026, 6, 15)
    await publish(
        nats_server.url,
        "access",
        EntryGranted(
            door_id="haroy-hovuddor",
            branch_id="haroy",
            patron_ref="0123456789abcdef0123456789abcdef",
            opening=OpeningKind.MEIROPE,
        ),
        "presentations-haroy-hovuddor-x",
        stream_version=1,
        occurred_at=late_evening,
    )
    await publish(
        nats_server.url,
        "visits",
        ClassVisitHeld(
            visit_id=uuid4(),
            school_id="haroy-skule",
            grade=2,
            class_label="2A",
            branch_id="haroy",
            held_on=oslo_day,
            school_year=school_year_of(oslo_day),
            pupils_present=12,
            library_cards_handed_out=11,
            consent_forms_collected=11,
            programme=Programme.SECOND_GRADE,
        ),
        f"classvisit-{uuid4()}",
        stream_version=1,
        occurred_at=late_evening,
    )
    period = "?from=2026-06-01&to=2026-06-30"
    for _ in range(100):
        rows = await eventually_rows(client, period)
        if rows[0]["class_visits"] == 1 and rows[0]["entries_meirope"] == 1:
            break
        await asyncio.sleep(0.1)
    assert rows == [
        {
            "branch_id": "haroy",
            "day": oslo_day.isoformat(),
            "entries_staffed": 0,
            "entries_meirope": 1,
            "entries_denied": 0,
            "shifts_claimed": 0,
            "class_visits": 1,
            "pupils": 12,
            "library_cards": 11,
        }
    ]


async def test_a_period_backwards_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/daily?from=2026-10-10&to=2026-10-01", headers=VIEWER)
    assert response.status_code == 422
    assert "after" in response.text


async def test_every_route_needs_a_token_of_the_right_role(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    checked = await assert_every_route_is_guarded(app, client, also_public=PAGE_ROUTES)
    assert checked == {
        "GET /api/daily": {Role.VIEWER, Role.STAFF},
        "GET /api/status": {Role.VIEWER, Role.STAFF},
        "GET /api/schools/coverage": {Role.VIEWER, Role.STAFF},
        "GET /api/schools/reach": {Role.VIEWER, Role.STAFF},
        "GET /api/schools/deposits": {Role.VIEWER, Role.STAFF},
        "GET /api/schools/theme-days": {Role.VIEWER, Role.STAFF},
        **{
            f"GET /api/volunteers/{name}": {Role.VIEWER, Role.STAFF}
            for name in (
                "shifts",
                "hours",
                "active",
                "recruitment",
                "certificates",
                "host-coverage",
            )
        },
        **{
            f"GET /api/meirope/{name}": {Role.VIEWER, Role.STAFF}
            for name in ("denials", "entries-by-hour", "visitors", "incidents", "open-hours")
        },
        **{f"GET /api/desk/{name}": {Role.VIEWER, Role.STAFF} for name in ROUTES_OF_THE_DESK},
        "GET /api/national-statistics/{year}": {Role.VIEWER, Role.STAFF},
        "GET /api/national-statistics/{year}.csv": {Role.VIEWER, Role.STAFF},
        "GET /report/{year}.pdf": {Role.VIEWER, Role.STAFF},
    }
