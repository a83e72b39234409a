"""Retention of door decisions, on a real PostgreSQL: once a month lies beyond the branch's
retention its key is destroyed, exactly once and recorded as an event, after which the month's
door references can no longer be computed from a card, while the counts stay."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from tvers_access.adapters.pseudonyms import (
    MonthKeyDestroyed,
    PatronReferences,
    PostgresMonthKeys,
    door_reference,
)
from tvers_access.application import AccessApplication
from tvers_access.bootstrap import build_app
from tvers_access.settings import AccessSettings
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers
OSLO = ZoneInfo("Europe/Oslo")
STAFF = bearer(Role.STAFF)
DOOR = bearer(Role.DOOR, door_id="skodje-hovuddor")
CARD, PIN = "1508000101", "2468"
#: An August evening, and the first days on which August lies more than 30 days back.
AUGUST_EVENING = datetime(2026, 8, 14, 19, 0, tzinfo=OSLO)
STILL_KEPT = datetime(2026, 9, 30, 23, 59, tzinfo=OSLO)
BEYOND = datetime(2026, 10, 1, 0, 1, tzinfo=OSLO)
ALL_DAY_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": "meirope"} for d in range(1, 8)
]


@pytest.fixture
def clock() -> list[datetime]:
    return [AUGUST_EVENING]


@pytest.fixture
def app(access_settings: AccessSettings, clock: list[datetime]) -> FastAPI:
    return build_app(access_settings, clock=lambda: clock[0].astimezone(UTC))


async def an_august_entry(client: httpx.AsyncClient) -> None:
    calls = [
        await client.post(
            "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
        ),
        await client.put(
            "/branches/skodje/schedule", json={"periods": ALL_DAY_MEIROPE}, headers=STAFF
        ),
        await client.put(
            "/branches/skodje/retention", json={"door_decisions_days": 30}, headers=STAFF
        ),
        await client.post(
            "/doors",
            json={"door_id": "skodje-hovuddor", "branch_id": "skodje", "name": "Hovuddør"},
            headers=STAFF,
        ),
        await client.post("/agreements", json={"card_number": CARD}, headers=STAFF),
        await client.post(
            "/doors/skodje-hovuddor/presentations",
            json={"card_number": CARD, "pin": PIN},
            headers=DOOR,
        ),
    ]
    assert [c.status_code for c in calls] == [201, 200, 200, 201, 201, 200], [c.text for c in calls]
    assert calls[-1].json()["entry"] == "granted"


async def test_a_month_beyond_retention_can_no_longer_be_linked_to_a_card(
    client: httpx.AsyncClient, app: FastAPI, clock: list[datetime]
) -> None:
    await an_august_entry(client)
    pool = app.state.infrastructure.pool
    access: AccessApplication = app.state.access
    recorded = await pool.fetchval(
        "SELECT payload->>'patron_ref' FROM events WHERE event_type = 'EntryGranted'"
    )
    keys = PostgresMonthKeys(pool)
    august_key = await keys.key_for("skodje", date(2026, 8, 1))
    agreement_ref = PatronReferences(b"patron-key-for-the-tests-0123456789abcdef").of(CARD)
    assert door_reference(august_key, agreement_ref) == recorded  # linkable while kept

    clock[0] = STILL_KEPT
    assert await access.destroy_expired_keys("1508") == []
    clock[0] = BEYOND
    assert await access.destroy_expired_keys("1508") == [("skodje", date(2026, 8, 1))]

    with pytest.raises(MonthKeyDestroyed):
        await keys.key_for("skodje", date(2026, 8, 1))
    assert await pool.fetchval("SELECT count(*) FROM patron_month_keys WHERE key IS NOT NULL") == 0
    assert await pool.fetchval("SELECT count(*) FROM events WHERE event_type = 'EntryGranted'") == 1
    assert (
        await pool.fetchval(
            "SELECT payload->>'patron_ref' FROM events WHERE event_type = 'EntryGranted'"
        )
        == recorded
    )
    destroyed = await pool.fetch(
        "SELECT payload FROM events WHERE event_type = 'PatronKeyDestroyed'"
    )
    assert len(destroyed) == 1


async def test_two_replicas_destroy_a_key_and_record_it_once(
    client: httpx.AsyncClient, app: FastAPI, clock: list[datetime], access_settings: AccessSettings
) -> None:
    await an_august_entry(client)
    clock[0] = BEYOND
    access: AccessApplication = app.state.access
    results = await asyncio.gather(*(access.destroy_expired_keys("1508") for _ in range(2)))
    assert sorted(len(r) for r in results) in ([0, 1], [1, 1])
    again = await access.destroy_expired_keys("1508")
    assert again == []
    pool = app.state.infrastructure.pool
    count = await pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = 'PatronKeyDestroyed'"
    )
    assert count == 1


async def test_a_presentation_dated_in_a_destroyed_month_is_refused(
    client: httpx.AsyncClient, app: FastAPI, clock: list[datetime]
) -> None:
    await an_august_entry(client)
    clock[0] = BEYOND
    await app.state.access.destroy_expired_keys("1508")
    late = await client.post(
        "/doors/skodje-hovuddor/presentations",
        json={"card_number": CARD, "pin": PIN, "presented_at": "2026-08-30T18:00:00+02:00"},
        headers=DOOR,
    )
    assert late.status_code == 422
    assert "retention" in late.json()["detail"]


async def published_everything(pool: object) -> None:
    """Wait until the relay has published every event of the store."""
    for _ in range(200):
        behind = await pool.fetchval(  # type: ignore[attr-defined]
            """
            SELECT count(*) FROM events e
            WHERE (e.tx_id, e.global_position) > coalesce(
                (SELECT (tx_id, global_position) FROM relay_checkpoints LIMIT 1),
                ('0'::xid8, 0))
            """
        )
        if behind == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the relay did not publish everything")


async def test_day_logs_beyond_their_retention_are_removed_once_published(
    client: httpx.AsyncClient, app: FastAPI, clock: list[datetime]
) -> None:
    await an_august_entry(client)
    alarm = await client.post(
        "/doors/skodje-hovuddor/alarms",
        json={"kind": "forced", "raised_at": AUGUST_EVENING.isoformat()},
        headers=DOOR,
    )
    assert alarm.status_code in (200, 201), alarm.text
    pool = app.state.infrastructure.pool
    await published_everything(pool)
    access: AccessApplication = app.state.access
    clock[0] = datetime(2026, 9, 13, 23, 59, tzinfo=OSLO)  # 14 August is 30 days back
    assert await access.remove_expired_day_logs() == 0
    clock[0] = BEYOND
    retention_kept_alarms = await client.put(
        "/branches/skodje/retention",
        json={"door_decisions_days": 30, "alarms_days": 365},
        headers=STAFF,
    )
    assert retention_kept_alarms.status_code == 200
    assert await access.remove_expired_day_logs() == 1  # the presentation; alarms kept a year
    left = await pool.fetch("SELECT stream_id FROM events WHERE stream_id LIKE 'presentations-%'")
    assert left == []
    assert await pool.fetchval("SELECT count(*) FROM events WHERE stream_id LIKE 'alarms-%'") == 1
    assert await pool.fetchval("SELECT count(*) FROM events WHERE stream_id LIKE 'branch-%'") > 0


async def test_a_day_log_not_yet_published_is_kept(
    client: httpx.AsyncClient, app: FastAPI, clock: list[datetime]
) -> None:
    await an_august_entry(client)
    pool = app.state.infrastructure.pool
    await published_everything(pool)
    await pool.execute("UPDATE relay_checkpoints SET tx_id = '1', global_position = 1")
    clock[0] = BEYOND
    assert await app.state.access.remove_expired_day_logs() == 0
    assert (
        await pool.fetchval("SELECT count(*) FROM events WHERE stream_id LIKE 'presentations-%'")
        == 1
    )


async def test_logs_dated_beyond_their_retention_are_refused(
    client: httpx.AsyncClient, app: FastAPI, clock: list[datetime]
) -> None:
    await an_august_entry(client)
    clock[0] = datetime(2026, 9, 20, 12, tzinfo=OSLO)
    short = await client.put(
        "/branches/skodje/retention",
        json={"door_decisions_days": 3, "counter_days": 3, "alarms_days": 3},
        headers=STAFF,
    )
    assert short.status_code == 200
    before = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    old = "2026-09-10T18:00:00+02:00"
    refused = [
        await client.post(
            "/doors/skodje-hovuddor/presentations",
            json={"card_number": CARD, "pin": PIN, "presented_at": old},
            headers=DOOR,
        ),
        await client.post(
            "/doors/skodje-hovuddor/counts",
            json={"entries": 1, "exits": 0, "counted_at": old, "sequence": 1},
            headers=DOOR,
        ),
        await client.post(
            "/doors/skodje-hovuddor/alarms",
            json={"kind": "held_open", "raised_at": old},
            headers=DOOR,
        ),
    ]
    assert [r.status_code for r in refused] == [422, 422, 422], [r.text for r in refused]
    assert all("retention" in r.json()["detail"] for r in refused)
    assert await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events") == before
