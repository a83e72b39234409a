"""Hostile tests of time at the door, in the closing scheduler and in the retention job: local
midnight, the turn of a month, and both daylight-saving changes of 2026 in Europe/Oslo (29 March:
02:00 becomes 03:00; 25 October: 03:00 becomes 02:00), with the service's clock injected."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from tvers_access.bootstrap import build_app
from tvers_access.entrypoints.scheduler import ClosingScheduler
from tvers_access.settings import AccessSettings
from tvers_access.testing.occupancy import stored
from tvers_runtime.auth import Role
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer, running

pytestmark = pytest.mark.servers
OSLO = ZoneInfo("Europe/Oslo")
STAFF = bearer(Role.STAFF)
DOOR = bearer(Role.DOOR, door_id="skodje-hovuddor")
GUARDIAN, GUARDIAN_PIN = "1508000401", "3141"
CHILD, CHILD_PIN = "1508000503", "1003"  # born 2016: under 12 for years to come
ADULT, ADULT_PIN = "1508000101", "2468"
ALL_DAY_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": "meirope"} for d in range(1, 8)
]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(utc("2026-01-05T12:00:00+01:00"))


@pytest.fixture
async def service(
    access_settings: AccessSettings, clock: SteppedClock
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = build_app(access_settings, clock=clock)
    async with running(app) as client:
        yield app, client


async def set_up(client: httpx.AsyncClient, periods: list[dict[str, object]]) -> None:
    calls = [
        await client.post(
            "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
        ),
        await client.put("/branches/skodje/schedule", json={"periods": periods}, headers=STAFF),
        await client.put(
            "/branches/skodje/access-rules",
            json={"meirope_min_age": 15, "unaccompanied_min_age": 12},
            headers=STAFF,
        ),
        await client.post(
            "/doors",
            json={"door_id": "skodje-hovuddor", "branch_id": "skodje", "name": "Hovuddør"},
            headers=STAFF,
        ),
    ]
    assert all(c.is_success for c in calls), [c.text for c in calls]


async def present(client: httpx.AsyncClient, card: str, pin: str) -> dict[str, object]:
    answer = await client.post(
        "/doors/skodje-hovuddor/presentations",
        json={"card_number": card, "pin": pin},
        headers=DOOR,
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


@pytest.mark.parametrize(
    ("guardian_at", "child_at", "child_let_in"),
    [
        # The last day of a month, and the first of the next: 20 s apart.
        ("2026-01-31T23:59:50+01:00", "2026-02-01T00:00:10+01:00", True),
        # Spring forward: 01:59:50 winter time, then 03:00:10 summer time: 20 s apart.
        ("2026-03-29T01:59:50+01:00", "2026-03-29T03:00:10+02:00", True),
        # Fall back: 02:59:50 summer time, then 02:00:10 winter time: 20 s apart.
        ("2026-10-25T02:59:50+02:00", "2026-10-25T02:00:10+01:00", True),
        # Fall back: 02:00:30 summer time, then 02:01:00 winter time: the wall clocks are 30 s
        # apart, the instants an hour and 30 s.
        ("2026-10-25T02:00:30+02:00", "2026-10-25T02:01:00+01:00", False),
        # Just outside the window across the turn of the month.
        ("2026-02-28T23:59:09+01:00", "2026-03-01T00:00:10+01:00", False),
    ],
    ids=["month", "spring-forward", "fall-back", "fall-back-wall-clock-trap", "month-outside"],
)
async def test_the_guardian_window_is_elapsed_time_across_midnight_months_and_dst(
    service: tuple[FastAPI, httpx.AsyncClient],
    clock: SteppedClock,
    guardian_at: str,
    child_at: str,
    child_let_in: bool,
) -> None:
    _, client = service
    clock.now = utc(guardian_at) - timedelta(days=1)
    await set_up(client, ALL_DAY_MEIROPE)
    for card, extra in ((GUARDIAN, {}), (CHILD, {"guardian_consent": True})):
        body = {"card_number": card, **extra}
        if card == CHILD:
            body["guardian_card_number"] = GUARDIAN
        signed = await client.post("/agreements", json=body, headers=STAFF)
        assert signed.status_code == 201, signed.text
    clock.now = utc(guardian_at)
    assert (await present(client, GUARDIAN, GUARDIAN_PIN))["entry"] == "granted"
    clock.now = utc(child_at)
    child = await present(client, CHILD, CHILD_PIN)
    assert (child["entry"] == "granted") is child_let_in, child


@pytest.mark.parametrize(
    ("weekday", "night_ends", "closing_utc"),
    [
        # Saturday 24 October 22:00 - 02:30: ends the first time the clock shows 02:30 (summer).
        (6, "2026-10-24", "2026-10-25T00:30:00+00:00"),
        # Saturday 28 March 22:00 - 02:30: 02:30 never shows; it ends at the jump (03:00 summer).
        (6, "2026-03-28", "2026-03-29T01:00:00+00:00"),
    ],
    ids=["fall-back", "spring-forward"],
)
async def test_a_meirope_night_ending_at_0230_over_a_dst_change_is_announced_once_each(
    service: tuple[FastAPI, httpx.AsyncClient],
    access_settings: AccessSettings,
    clock: SteppedClock,
    weekday: int,
    night_ends: str,
    closing_utc: str,
) -> None:
    app, client = service
    clock.now = utc(f"{night_ends}T12:00:00+00:00")
    await set_up(
        client, [{"weekday": weekday, "starts": "22:00", "ends": "02:30", "kind": "meirope"}]
    )
    second = build_app(access_settings, clock=clock)
    async with running(second):
        schedulers: list[ClosingScheduler] = [app.state.scheduler, second.state.scheduler]
        clock.now = utc(f"{night_ends}T19:50:00+00:00")
        while clock.now < utc(closing_utc) + timedelta(hours=2):
            for scheduler in schedulers:
                await scheduler.tick()
            clock.advance(timedelta(seconds=30))
    closing = utc(closing_utc)
    announcements = await stored(app, "ClosingAnnounced")
    assert sorted(
        (a["minutes_before"], utc(a["due_at"].replace("Z", "+00:00"))) for a in announcements
    ) == [(m, closing - timedelta(minutes=m)) for m in (5, 10, 15)]
    assert {utc(a["period_ends"].replace("Z", "+00:00")) for a in announcements} == {closing}


async def test_a_month_key_is_destroyed_at_local_midnight_not_utc_midnight_and_never_remade(
    service: tuple[FastAPI, httpx.AsyncClient], clock: SteppedClock
) -> None:
    app, client = service
    clock.now = utc("2026-01-31T23:59:00+01:00")
    await set_up(client, ALL_DAY_MEIROPE)
    assert (await client.post("/agreements", json={"card_number": ADULT}, headers=STAFF)).is_success
    assert (await present(client, ADULT, ADULT_PIN))["entry"] == "granted"
    # 90 days after 31 January is 1 May: the key goes on the first day after that, 2 May,
    # which begins at 22:00 UTC on 1 May (summer time).
    clock.now = utc("2026-05-01T23:59:59+02:00")
    assert await app.state.access.destroy_expired_keys("1508") == []
    clock.now = utc("2026-05-02T00:00:01+02:00")
    assert await app.state.access.destroy_expired_keys("1508") == [("skodje", date(2026, 1, 1))]
    assert await app.state.access.destroy_expired_keys("1508") == []
    assert len(await stored(app, "PatronKeyDestroyed")) == 1
    months = await app.state.infrastructure.pool.fetch(
        "SELECT month, key IS NULL AS gone FROM patron_month_keys ORDER BY month"
    )
    assert (months[0]["month"], months[0]["gone"]) == (date(2026, 1, 1), True)
