"""The meirope read models on a real PostgreSQL and NATS: door events published as the access
service's relay would, read back through ``/api/meirope/...`` with the right numbers; the same
again after duplicates and after a rebuild.

The story is set around the end of March 2026: Oslo moves to summer time on Sunday 29 March
(02:00 CET becomes 03:00 CEST), and the month turns at midnight on 31 March, which is 22:00 UTC.
"""

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.events.access import (
    DenialReason,
    DoorAlarmKind,
    DoorAlarmRaised,
    EntryDenied,
    EntryGranted,
    OccupantsRemainedAtClosing,
    PatronKeyDestroyed,
    TailgatingSuspected,
)
from tvers_contracts.values import OpeningKind
from tvers_reporting.testing.story import Story, publish
from tvers_runtime.auth import Role
from tvers_runtime.projection import rebuild
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
VIEWER = bearer(Role.VIEWER)
STAFF = bearer(Role.STAFF)
PERIOD = "?from=2026-03-01&to=2026-04-30"
ROUTES = ("denials", "entries-by-hour", "visitors", "incidents")
STAFFED, MEIROPE = OpeningKind.STAFFED, OpeningKind.MEIROPE
# Door references: access keys them per branch and month, so one person is a new ref each month.
ANNE_MARCH, BO_MARCH, ANNE_APRIL, CARL_APRIL, LATE = (f"{n:032x}" for n in range(1, 6))


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


class DoorStory(Story):
    """Door events of the access service."""

    def entry(self, branch: str, at: datetime, ref: str, opening: OpeningKind) -> None:
        door = f"{branch}-main"
        payload = EntryGranted(door_id=door, branch_id=branch, patron_ref=ref, opening=opening)
        self.add(f"door-{door}", at, payload)

    def denial(self, at: datetime, reason: DenialReason, opening: OpeningKind) -> None:
        payload = EntryDenied(
            door_id="haroy-main",
            branch_id="haroy",
            patron_ref=ANNE_MARCH,
            opening=opening,
            reason=reason,
        )
        self.add("door-haroy-main", at, payload)

    def alarm(self, branch: str, at: datetime, kind: DoorAlarmKind) -> None:
        door = f"{branch}-main"
        payload = DoorAlarmRaised(door_id=door, branch_id=branch, kind=kind, raised_at=at)
        self.add(f"door-{door}", at, payload)


def door_month() -> DoorStory:
    story = DoorStory()
    # 01:30 CET and 03:30 CEST on the night the clocks go forward: hours 1 and 3, never 2.
    story.entry("haroy", utc(29, 0, 30), ANNE_MARCH, MEIROPE)
    story.entry("haroy", utc(29, 1, 30), BO_MARCH, MEIROPE)
    story.entry("haroy", utc(30, 10), ANNE_MARCH, STAFFED)  # Monday 12:00 CEST
    story.entry("haroy", utc(31, 21, 30), ANNE_MARCH, MEIROPE)  # Tuesday 23:30, March
    story.entry("haroy", utc(31, 22, 10), ANNE_APRIL, MEIROPE)  # Wednesday 00:10, April
    story.entry("brattvag", utc(1, 8, month=4), CARL_APRIL, STAFFED)  # Wednesday 10:00

    story.denial(utc(31, 21, 59), DenialReason.WRONG_PIN, MEIROPE)  # 23:59 on 31 March
    story.denial(utc(31, 22), DenialReason.WRONG_PIN, MEIROPE)  # midnight: 1 April
    story.denial(utc(1, 5, month=4), DenialReason.UNDER_AGE, MEIROPE)
    story.denial(utc(1, 8, month=4), DenialReason.BLOCKED_CARD, STAFFED)
    # 02:00 on 1 April: closed; the door said so, and the denial still counts
    story.denial(utc(1, 0, month=4), DenialReason.OUTSIDE_MEIROPE_HOURS, OpeningKind.CLOSED)

    story.alarm("haroy", utc(29, 0, 55), DoorAlarmKind.HELD_OPEN)  # 01:55 CET
    story.alarm("haroy", utc(29, 1, 5), DoorAlarmKind.FORCED)  # 03:05 CEST
    story.add(
        "door-haroy-main",
        utc(31, 22, 5),
        TailgatingSuspected(
            door_id="haroy-main",
            branch_id="haroy",
            counted=3,
            granted=1,
            window_seconds=10,
            counted_at=utc(31, 22, 5),
        ),
    )
    # The meirope period ends at midnight (Oslo): the closing counts on 31 March, its evening.
    story.add(
        "branch-haroy",
        utc(31, 22, 2),
        OccupantsRemainedAtClosing(
            branch_id="haroy",
            period_ends=utc(31, 22),
            checked_at=utc(31, 22, 2),
            count=2,
        ),
    )
    return story


def incidents(day: str, branch: str = "haroy", **counts: int) -> dict[str, Any]:
    names = ("held_open", "forced", "tailgating", "closings_with_occupants")
    return {
        "branch_id": branch,
        "day": day,
        **dict.fromkeys(names, 0),
        "occupants_at_closing": 0,
        **counts,
    }


def hour(branch: str, weekday: int, at: int, staffed: int = 0, meirope: int = 0) -> dict[str, Any]:
    return {
        "branch_id": branch,
        "weekday": weekday,
        "hour": at,
        "staffed": staffed,
        "meirope": meirope,
    }


def denied(
    day: str, reason: str, staffed: int = 0, meirope: int = 0, closed: int = 0
) -> dict[str, Any]:
    return {
        "branch_id": "haroy",
        "day": day,
        "reason": reason,
        "staffed": staffed,
        "meirope": meirope,
        "closed": closed,
    }


EXPECTED: dict[str, Any] = {
    "denials": [
        denied("2026-03-31", "wrong_pin", meirope=1),
        denied("2026-04-01", "blocked_card", staffed=1),
        denied("2026-04-01", "outside_meirope_hours", closed=1),
        denied("2026-04-01", "under_age", meirope=1),
        denied("2026-04-01", "wrong_pin", meirope=1),
    ],
    "entries-by-hour": [
        hour("brattvag", 3, 10, staffed=1),
        hour("haroy", 1, 12, staffed=1),
        hour("haroy", 2, 23, meirope=1),
        hour("haroy", 3, 0, meirope=1),
        hour("haroy", 7, 1, meirope=1),
        hour("haroy", 7, 3, meirope=1),
    ],
    "visitors": [
        {"branch_id": "haroy", "month": "2026-03-01", "visitors": 2},
        {"branch_id": "brattvag", "month": "2026-04-01", "visitors": 1},
        {"branch_id": "haroy", "month": "2026-04-01", "visitors": 1},
    ],
    "incidents": [
        incidents("2026-03-29", held_open=1, forced=1),
        incidents("2026-03-31", closings_with_occupants=1, occupants_at_closing=2),
        incidents("2026-04-01", tailgating=1),
    ],
}


async def answers(client: httpx.AsyncClient) -> dict[str, Any]:
    return {
        name: (await client.get(f"/api/meirope/{name}{PERIOD}", headers=VIEWER)).json()
        for name in ROUTES
    }


async def eventually_answers(client: httpx.AsyncClient, expected: dict[str, Any]) -> None:
    got: dict[str, Any] = {}
    for _ in range(200):
        got = await answers(client)
        if got == expected:
            return
        await asyncio.sleep(0.1)
    assert got == expected


async def test_the_meirope_read_models_count_a_month_at_the_doors_and_rebuild_the_same(
    client: httpx.AsyncClient, app: FastAPI, nats_server: NatsUnderTest
) -> None:
    story = door_month()
    await publish(nats_server.url, story.envelopes)
    await eventually_answers(client, dict(EXPECTED))

    # Every event again (a republish outside the dedupe window), then access destroys March's
    # key at Harøy, a late March entry arrives, and one new alarm: once the alarm shows, the
    # repeats have been passed over, and the closed month keeps its count.
    later = DoorStory()
    later.add(
        "retention-haroy",
        utc(5, 3, month=4),
        PatronKeyDestroyed(branch_id="haroy", month=date(2026, 3, 1), retention_days=3),
    )
    later.versions = dict(story.versions)
    later.entry("haroy", utc(31, 20), LATE, MEIROPE)
    later.alarm("brattvag", utc(10, 10, month=4), DoorAlarmKind.HELD_OPEN)
    await publish(nats_server.url, [*story.envelopes, *later.envelopes])
    expected = {
        **EXPECTED,
        "entries-by-hour": [
            *EXPECTED["entries-by-hour"][:2],
            hour("haroy", 2, 22, meirope=1),
            *EXPECTED["entries-by-hour"][2:],
        ],
        "incidents": [
            *EXPECTED["incidents"],
            incidents("2026-04-10", branch="brattvag", held_open=1),
        ],
    }
    await eventually_answers(client, expected)

    infra = app.state.infrastructure
    for name in ("meirope_denials", "meirope_entries", "meirope_visitors", "meirope_incidents"):
        report = await rebuild(infra.pool, infra.nats, getattr(app.state, name))
        assert report.events > 0
    assert await answers(client) == expected


async def test_the_meirope_figures_are_for_staff_too_and_never_show_a_patron_ref(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    await publish(nats_server.url, door_month().envelopes)
    await eventually_answers(client, dict(EXPECTED))
    for name in ROUTES:
        response = await client.get(f"/api/meirope/{name}{PERIOD}&branch_id=haroy", headers=STAFF)
        assert response.status_code == 200
        assert response.json()
        assert all(row["branch_id"] == "haroy" for row in response.json())
        assert ANNE_MARCH not in response.text


async def test_a_meirope_period_backwards_is_refused(client: httpx.AsyncClient) -> None:
    for name in ROUTES:
        response = await client.get(
            f"/api/meirope/{name}?from=2026-10-10&to=2026-10-01", headers=VIEWER
        )
        assert response.status_code == 422
        assert response.json()["error"] == "invalid_period"
