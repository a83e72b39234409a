"""The schedule over HTTP, on a real PostgreSQL and NATS, with the service's clock pinned in
Oslo: dated exceptions change the branch status and the published hours (JSON and iCalendar),
the published hours need no login, and bad input is refused without storing anything."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from icalendar import Calendar

from tvers_access.bootstrap import build_app
from tvers_access.settings import AccessSettings
from tvers_runtime.auth import Role
from tvers_runtime.clock import fixed_clock
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers
OSLO = ZoneInfo("Europe/Oslo")
STAFF = bearer(Role.STAFF)
VIEWER = bearer(Role.VIEWER)
#: Tuesday 20 October 2026, noon in Oslo: the fall-back night (25 October) is five days ahead.
NOON = datetime(2026, 10, 20, 12, 0, tzinfo=OSLO)
EVERY_DAY = [
    *({"weekday": d, "starts": "10:00", "ends": "16:00", "kind": "staffed"} for d in range(1, 8)),
    *({"weekday": d, "starts": "16:00", "ends": "21:00", "kind": "meirope"} for d in range(1, 7)),
    {"weekday": 6, "starts": "22:00", "ends": "04:00", "kind": "meirope"},  # Saturday night
]


@pytest.fixture
def now() -> datetime:
    """The moment the service's clock shows (a test may parametrize it)."""
    return NOON


@pytest.fixture
def app(access_settings: AccessSettings, now: datetime) -> FastAPI:
    return build_app(access_settings, clock=fixed_clock(now.astimezone(UTC)))


async def event_count(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    return count


async def set_up_branch(client: httpx.AsyncClient) -> None:
    responses = [
        await client.post(
            "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
        ),
        await client.put("/branches/skodje/schedule", json={"periods": EVERY_DAY}, headers=STAFF),
    ]
    assert [r.status_code for r in responses] == [201, 200], [r.text for r in responses]


async def status(client: httpx.AsyncClient) -> dict[str, object]:
    response = await client.get("/branches/skodje/status", headers=VIEWER)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_the_status_says_the_mode_now_and_the_next_change(
    client: httpx.AsyncClient,
) -> None:
    await set_up_branch(client)
    assert await status(client) == {
        "branch_id": "skodje",
        "at": "2026-10-20T12:00:00+02:00",
        "mode": "staffed",
        "next_change": {"at": "2026-10-20T16:00:00+02:00", "mode": "meirope"},
        "host_checked_in": False,
        "hosts_checked_in": 0,
        "occupancy": 0,
        "occupants_remained_at_closing": None,
    }


@pytest.mark.parametrize("now", [datetime(2026, 10, 24, 23, 0, tzinfo=OSLO)])
async def test_the_status_on_the_fall_back_night_ends_the_night_in_winter_time(
    client: httpx.AsyncClient,
) -> None:
    await set_up_branch(client)
    assert await status(client) == {
        "branch_id": "skodje",
        "at": "2026-10-24T23:00:00+02:00",
        "mode": "meirope",
        "next_change": {"at": "2026-10-25T04:00:00+01:00", "mode": "closed"},
        "host_checked_in": False,
        "hosts_checked_in": 0,
        "occupancy": 0,
        "occupants_remained_at_closing": None,
    }


async def test_an_exception_set_and_removed_changes_the_status_and_the_hours(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    closed = await client.put(
        "/branches/skodje/exceptions/2026-10-20",
        json={"periods": [], "label": "Stengt grunna straumbrot"},
        headers=STAFF,
    )
    assert closed.status_code == 200, closed.text
    assert await status(client) == {
        "branch_id": "skodje",
        "at": "2026-10-20T12:00:00+02:00",
        "mode": "closed",
        "next_change": {"at": "2026-10-21T10:00:00+02:00", "mode": "staffed"},
        "host_checked_in": False,
        "hosts_checked_in": 0,
        "occupancy": 0,
        "occupants_remained_at_closing": None,
    }
    hours = (await client.get("/branches/skodje/hours")).json()
    assert (hours["from"], hours["to"]) == ("2026-10-20", "2026-11-16")
    assert hours["exceptions"] == [
        {"date": "2026-10-20", "label": "Stengt grunna straumbrot", "closed_all_day": True}
    ]
    assert hours["periods"][0]["date"] == "2026-10-21"
    removed = await client.delete("/branches/skodje/exceptions/2026-10-20", headers=STAFF)
    assert removed.status_code == 200, removed.text
    assert (await status(client))["mode"] == "staffed"
    hours = (await client.get("/branches/skodje/hours")).json()
    assert hours["exceptions"] == []
    assert hours["periods"][0]["starts"] == "2026-10-20T10:00:00+02:00"
    stored = await app.state.infrastructure.pool.fetch(
        "SELECT event_type FROM events WHERE event_type LIKE 'ScheduleException%' "
        "ORDER BY global_position"
    )
    assert [row["event_type"] for row in stored] == [
        "ScheduleExceptionSet",
        "ScheduleExceptionRemoved",
    ]


async def test_the_published_hours_need_no_login_and_keep_local_times_across_fall_back(
    client: httpx.AsyncClient,
) -> None:
    await set_up_branch(client)
    extra = await client.put(
        "/branches/skodje/exceptions/2026-10-26",
        json={
            "periods": [{"starts": "09:00", "ends": "12:00", "kind": "meirope"}],
            "label": "Haustferie",
        },
        headers=STAFF,
    )
    assert extra.status_code == 200, extra.text
    response = await client.get(
        "/branches/skodje/hours", params={"from": "2026-10-24", "to": "2026-10-26"}
    )
    assert response.status_code == 200, response.text
    periods = response.json()["periods"]
    assert [(p["starts"], p["ends"], p["kind"], p["label"]) for p in periods] == [
        ("2026-10-24T10:00:00+02:00", "2026-10-24T16:00:00+02:00", "staffed", None),
        ("2026-10-24T16:00:00+02:00", "2026-10-24T21:00:00+02:00", "meirope", None),
        ("2026-10-24T22:00:00+02:00", "2026-10-25T04:00:00+01:00", "meirope", None),
        ("2026-10-25T10:00:00+01:00", "2026-10-25T16:00:00+01:00", "staffed", None),
        ("2026-10-26T09:00:00+01:00", "2026-10-26T12:00:00+01:00", "meirope", "Haustferie"),
    ]
    assert [p["date"] for p in periods] == [*["2026-10-24"] * 3, "2026-10-25", "2026-10-26"]
    assert [p["exception"] for p in periods] == [False, False, False, False, True]


def instant(value: date | datetime) -> datetime:
    """An event's start or end that is a moment (not a whole day)."""
    assert isinstance(value, datetime)
    return value


async def test_the_calendar_feed_parses_back_with_local_times_across_fall_back(
    client: httpx.AsyncClient,
) -> None:
    await set_up_branch(client)
    await client.put(
        "/branches/skodje/exceptions/2026-10-31",
        json={"periods": [], "label": "Stengt for inventar"},
        headers=STAFF,
    )
    response = await client.get("/branches/skodje/hours.ics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    feed = Calendar.from_ical(response.content)
    assert str(feed["X-WR-CALNAME"]) == "Opningstider Skodje"
    assert str(feed["X-WR-TIMEZONE"]) == "Europe/Oslo"
    assert {str(tz["TZID"]) for tz in feed.walk("VTIMEZONE")} == {"Europe/Oslo"}
    by_start = {event.start: event for event in feed.events}
    night = by_start[datetime(2026, 10, 24, 22, 0, tzinfo=OSLO)]
    assert night.end == datetime(2026, 10, 25, 4, 0, tzinfo=OSLO)
    length = instant(night.end).astimezone(UTC) - instant(night.start).astimezone(UTC)
    assert length == timedelta(hours=7)  # 22:00 summer time to 04:00 winter time
    assert str(night["SUMMARY"]) == "Meirope (sjølvbetent)"
    assert night["DTSTART"].params["TZID"] == "Europe/Oslo"
    after = by_start[datetime(2026, 10, 26, 10, 0, tzinfo=OSLO)]
    assert instant(after.start).utcoffset() == timedelta(hours=1)
    assert str(after["SUMMARY"]) == "Betent"
    closed = by_start[date(2026, 10, 31)]
    assert str(closed["SUMMARY"]) == "Stengt: Stengt for inventar"
    assert datetime(2026, 10, 31, 10, 0, tzinfo=OSLO) not in by_start
    # The past week and the coming half year; every event once, under a UID that stays.
    assert min(e.start for e in feed.events if isinstance(e.start, datetime)).date() == date(
        2026, 10, 13
    )
    uids = [str(event["UID"]) for event in feed.events]
    assert len(uids) == len(set(uids))
    again = Calendar.from_ical((await client.get("/branches/skodje/hours.ics")).content)
    assert [str(event["UID"]) for event in again.events] == uids


async def test_status_and_exceptions_need_a_token_and_the_hours_do_not(
    client: httpx.AsyncClient,
) -> None:
    await set_up_branch(client)
    anonymous = {
        "status": await client.get("/branches/skodje/status"),
        "exception": await client.put(
            "/branches/skodje/exceptions/2026-12-24", json={"periods": []}
        ),
        "hours": await client.get("/branches/skodje/hours"),
        "feed": await client.get("/branches/skodje/hours.ics"),
    }
    assert {what: r.status_code for what, r in anonymous.items()} == {
        "status": 401,
        "exception": 401,
        "hours": 200,
        "feed": 200,
    }
    viewer = await client.put(
        "/branches/skodje/exceptions/2026-12-24", json={"periods": []}, headers=VIEWER
    )
    assert viewer.status_code == 403


async def test_an_exception_sent_again_is_stored_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    before = await event_count(app)
    body = {
        "periods": [{"starts": "10:00", "ends": "13:00", "kind": "staffed"}],
        "label": "Julaftan",
    }
    key = {"Idempotency-Key": "julaftan-1"}
    for headers in (STAFF, STAFF, {**STAFF, **key}, {**STAFF, **key}):
        response = await client.put(
            "/branches/skodje/exceptions/2026-12-24", json=body, headers=headers
        )
        assert response.status_code == 200, response.text
    assert await event_count(app) == before + 1
    reused = await client.put(
        "/branches/skodje/exceptions/2026-12-24",
        json={**body, "label": "Julaftan (endra)"},
        headers={**STAFF, **key},
    )
    assert reused.status_code == 409
    assert reused.json()["error"] == "idempotency_key_reused"
    assert await event_count(app) == before + 1


EXCEPTION = "/branches/skodje/exceptions"


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "says"),
    [
        (
            "put",
            f"{EXCEPTION}/2026-12-24",
            {"periods": [{"starts": "10:00+01:00", "ends": "13:00", "kind": "staffed"}]},
            422,
            "without a UTC offset",
        ),
        (
            "put",
            f"{EXCEPTION}/2026-12-24",
            {"periods": [{"starts": "22:00", "ends": "02:00", "kind": "meirope"}]},
            422,
            "at midnight",
        ),
        (
            "put",
            f"{EXCEPTION}/2026-12-24",
            {
                "periods": [
                    {"starts": "10:00", "ends": "13:00", "kind": "staffed"},
                    {"starts": "12:30", "ends": "15:00", "kind": "meirope"},
                ]
            },
            422,
            "periods overlap",
        ),
        ("put", f"{EXCEPTION}/0001-01-01", {"periods": []}, 422, "has passed"),
        ("put", f"{EXCEPTION}/2026-10-19", {"periods": []}, 422, "has passed"),
        ("put", f"{EXCEPTION}/9999-12-31", {"periods": []}, 422, "more than 400 days ahead"),
        ("put", f"{EXCEPTION}/2026-13-01", {"periods": []}, 422, "date"),
        ("put", f"{EXCEPTION}/2026-12-24", {"periods": [], "label": ""}, 422, "label"),
        ("put", f"{EXCEPTION}/2026-12-24", {"periods": [], "who": "Kari"}, 422, "who"),
        ("put", f"{EXCEPTION}/2026-12-24", {"label": "Julaftan"}, 422, "periods"),
        ("put", "/branches/nowhere/exceptions/2026-12-24", {"periods": []}, 404, "no such"),
        ("delete", f"{EXCEPTION}/2026-12-24", None, 404, "no exception on 2026-12-24"),
        (
            "put",
            "/branches/skodje/schedule",
            {
                "periods": [
                    {"weekday": 7, "starts": "22:00", "ends": "02:00", "kind": "meirope"},
                    {"weekday": 1, "starts": "01:00", "ends": "03:00", "kind": "staffed"},
                ]
            },
            422,
            "overlap on weekday 1: weekday 7 22:00-02:00 and 01:00-03:00",
        ),
        ("get", "/branches/skodje/hours?from=1900-01-01", None, 422, "from must lie"),
        ("get", "/branches/skodje/hours?to=9999-12-31", None, 422, "to must lie"),
        ("get", "/branches/skodje/hours?from=2026-11-01&to=2026-10-01", None, 422, "before"),
        ("get", "/branches/skodje/hours?to=2027-10-21", None, 422, "at most 366 dates"),
        ("get", "/branches/skodje/hours.ics?form=2026-11-01", None, 422, "form"),
        ("get", "/branches/nowhere/hours", None, 404, "no branch"),
        ("get", "/branches/nowhere/hours.ics", None, 404, "no branch"),
        ("get", "/branches/nowhere/status", None, 404, "no branch"),
    ],
)
async def test_bad_schedule_input_gets_a_4xx_saying_what_was_wrong_and_stores_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    method: str,
    path: str,
    body: dict[str, object] | None,
    status: int,
    says: str,
) -> None:
    await set_up_branch(client)
    before = await event_count(app)
    response = await client.request(method.upper(), path, json=body, headers=STAFF)
    assert response.status_code == status, response.text[:500]
    assert says in response.text
    assert await event_count(app) == before
