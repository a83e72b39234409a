"""Open hours with and without staff per branch and Oslo week, from access's schedule events
published as its relay would, read back through ``/api/meirope/open-hours``; the same after
duplicates and after a rebuild.

Oslo moves to summer time in the night to Sunday 29 March 2026: a Saturday night from 23:00 to
04:00 is then four hours, not five.
"""

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.events.access import DayPeriod, ScheduleExceptionSet, WeeklyScheduleSet
from tvers_contracts.values import OpeningKind
from tvers_reporting.testing.story import Story, publish
from tvers_runtime.auth import Role
from tvers_runtime.projection import rebuild
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.schedules import weekly
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
VIEWER = bearer(Role.VIEWER)
STAFF = bearer(Role.STAFF)
ROUTE = "/api/meirope/open-hours?from=2026-03-23&to=2026-04-05"


def utc(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def exception(branch: str, day: date, *periods: tuple[str, str, str]) -> ScheduleExceptionSet:
    return ScheduleExceptionSet(
        branch_id=branch,
        date=day,
        periods=[DayPeriod(starts=s, ends=e, kind=OpeningKind(k)) for s, e, k in periods],
        label=None,
    )


def schedules() -> Story:
    story = Story()
    haroy = [
        weekly(1, "10:00", "16:00", "staffed"),
        weekly(6, "23:00", "04:00"),  # Saturday night into Sunday
        weekly(7, "22:00", "01:00"),  # Sunday night into Monday
    ]
    story.add("branch-haroy", utc(1, 1), WeeklyScheduleSet(branch_id="haroy", periods=haroy))
    # Set beforehand for Monday 23 March: two staffed hours, then four meirope.
    monday = exception(
        "haroy", date(2026, 3, 23), ("12:00", "14:00", "staffed"), ("16:00", "20:00", "meirope")
    )
    story.add("branch-haroy", utc(3, 20), monday)
    # Set on 10 April for Sunday 5 April, a day already past: it keeps its meirope night.
    story.add("branch-haroy", utc(4, 10), exception("haroy", date(2026, 4, 5)))
    # Brattvåg's hours are set at noon on Wednesday 25 March: that day counts, Monday 23 not.
    brattvag = [weekly(1, "10:00", "16:00", "staffed"), weekly(3, "18:00", "22:00")]
    story.add(
        "branch-brattvag", utc(3, 25), WeeklyScheduleSet(branch_id="brattvag", periods=brattvag)
    )
    return story


def week(branch: str, monday: str, staffed: int, meirope: int) -> dict[str, Any]:
    return {
        "branch_id": branch,
        "week": monday,
        "staffed_minutes": staffed,
        "meirope_minutes": meirope,
    }


EXPECTED = [
    week("brattvag", "2026-03-23", 0, 4 * 60),  # Wednesday 25th
    week("brattvag", "2026-03-30", 6 * 60, 4 * 60),
    # Monday's exception (2 + 4 hours), Saturday 28th (4 hours: summer time), Sunday 29th (3)
    week("haroy", "2026-03-23", 2 * 60, (4 + 4 + 3) * 60),
    # Monday 30th; Saturday 4 April (5 hours) and Sunday 5 April into Monday 6 April (3)
    week("haroy", "2026-03-30", 6 * 60, (5 + 3) * 60),
]


async def eventually_answers(client: httpx.AsyncClient, expected: list[dict[str, Any]]) -> None:
    got: Any = None
    for _ in range(200):
        got = (await client.get(ROUTE, headers=VIEWER)).json()
        if got == expected:
            return
        await asyncio.sleep(0.1)
    assert got == expected


async def test_open_hours_count_each_week_by_the_schedules_and_rebuild_the_same(
    client: httpx.AsyncClient, app: FastAPI, nats_server: NatsUnderTest
) -> None:
    story = schedules()
    await publish(nats_server.url, story.envelopes)
    await eventually_answers(client, EXPECTED)

    # Every event again, then Brattvåg closes Wednesday 1 April (set on 26 March): once that
    # shows, the repeats have been passed over.
    later = Story()
    later.versions = dict(story.versions)
    later.add("branch-brattvag", utc(3, 26), exception("brattvag", date(2026, 4, 1)))
    await publish(nats_server.url, [*story.envelopes, *later.envelopes])
    expected = [EXPECTED[0], week("brattvag", "2026-03-30", 6 * 60, 0), *EXPECTED[2:]]
    await eventually_answers(client, expected)

    infra = app.state.infrastructure
    report = await rebuild(infra.pool, infra.nats, app.state.open_hours)
    assert report.events > 0
    assert (await client.get(ROUTE, headers=VIEWER)).json() == expected


async def test_open_hours_of_one_branch_are_for_staff_too(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    await publish(nats_server.url, schedules().envelopes)
    await eventually_answers(client, EXPECTED)
    response = await client.get(f"{ROUTE}&branch_id=brattvag", headers=STAFF)
    assert response.json() == EXPECTED[:2]


async def test_open_hours_for_a_period_backwards_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/meirope/open-hours?from=2026-04-05&to=2026-03-23", headers=VIEWER
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_period"
