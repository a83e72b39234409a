"""A branch's staffed hours as the visits service learns them, on a real PostgreSQL and NATS:
access's schedule events, published on the ACCESS stream, reach the service's own view, and
``GET /branches/{id}/staffed-hours`` answers the staffed periods (never the meirope ones) with
the exceptions' changes and labels, as instants across the nights the clocks change. A copy of
an event changes nothing, nor does an older exception that arrives after a newer one."""

from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient

from tvers_contracts import event_subject
from tvers_contracts.events.access import (
    DayPeriod,
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    WeeklyScheduleSet,
)
from tvers_contracts.schedule import OSLO
from tvers_contracts.values import OpeningKind
from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import bearer, service_settings
from tvers_runtime.testing.schedules import AccessBranch, taken_up_to, weekly
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_visits.bootstrap import build_app
from tvers_visits.entrypoints.subscribers import SUBSCRIBERS
from tvers_visits.settings import VisitsSettings

pytestmark = pytest.mark.servers
SCHEDULES = next(s for s in SUBSCRIBERS if s.durable == "visits-schedules")
STAFF = bearer(Role.STAFF)
MONDAY = date(2027, 3, 1)
WEEK = timedelta(days=7)
#: Mondays staffed, Tuesday evenings meirope, Wednesdays staffed and then meirope.
MONDAYS = weekly(1, "10:00", "16:00", "staffed")
TUESDAY_EVENINGS = weekly(2, "17:00", "21:00", "meirope")
WEDNESDAY_MORNINGS = weekly(3, "09:00", "12:00", "staffed")
WEDNESDAY_AFTERNOONS = weekly(3, "12:00", "15:00", "meirope")


def oslo(day: date, clock: str) -> datetime:
    return datetime.combine(day, datetime.strptime(clock, "%H:%M").time(), OSLO)


def staffed(starts: str, ends: str) -> DayPeriod:
    return DayPeriod(starts=starts, ends=ends, kind=OpeningKind.STAFFED)


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest, access: NatsClient) -> FastAPI:
    return build_app(service_settings(VisitsSettings, database_url, nats_server.url))


@pytest_asyncio.fixture
async def skodje(app: FastAPI, client: httpx.AsyncClient, access: NatsClient) -> AccessBranch:
    """A branch the service knows, whose schedule access publishes."""
    await learn_branches(app, "skodje")
    return AccessBranch(access, "skodje")


async def staffed_hours(
    client: httpx.AsyncClient, first: date, last: date, *, headers: dict[str, str] = STAFF
) -> list[dict[str, Any]]:
    response = await client.get(
        "/branches/skodje/staffed-hours",
        params={"from": first.isoformat(), "to": last.isoformat()},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def spans(found: list[dict[str, Any]]) -> list[tuple[datetime, datetime, str | None]]:
    return [
        (datetime.fromisoformat(h["starts"]), datetime.fromisoformat(h["ends"]), h["label"])
        for h in found
    ]


async def test_the_staffed_hours_follow_the_schedule_access_sets_exceptions_included(
    client: httpx.AsyncClient, skodje: AccessBranch, access: NatsClient
) -> None:
    await skodje.week(MONDAYS, TUESDAY_EVENINGS, WEDNESDAY_MORNINGS, WEDNESDAY_AFTERNOONS)
    second_monday, second_wednesday = MONDAY + WEEK, MONDAY + WEEK + timedelta(days=2)
    short = ScheduleExceptionSet(
        branch_id="skodje",
        date=second_monday,
        periods=[staffed("12:00", "14:00")],
        label="Kortopent",
    )
    await skodje.publish(short)
    closed = ScheduleExceptionSet(
        branch_id="skodje", date=second_wednesday, periods=[], label="Stengt"
    )
    await taken_up_to(access, SCHEDULES, await skodje.publish(closed))

    found = await staffed_hours(client, MONDAY, MONDAY + 2 * WEEK - timedelta(days=1))

    assert spans(found) == [
        (oslo(MONDAY, "10:00"), oslo(MONDAY, "16:00"), None),
        (
            oslo(MONDAY + timedelta(days=2), "09:00"),
            oslo(MONDAY + timedelta(days=2), "12:00"),
            None,
        ),
        (oslo(second_monday, "12:00"), oslo(second_monday, "14:00"), "Kortopent"),
    ]
    assert [(h["date"], h["exception"]) for h in found] == [
        ("2027-03-01", False),
        ("2027-03-03", False),
        ("2027-03-08", True),
    ]
    # The exception removed, the week's hours come back.
    removed = ScheduleExceptionRemoved(branch_id="skodje", date=second_wednesday)
    await taken_up_to(access, SCHEDULES, await skodje.publish(removed))
    found = await staffed_hours(client, second_wednesday, second_wednesday)
    assert spans(found) == [
        (oslo(second_wednesday, "09:00"), oslo(second_wednesday, "12:00"), None)
    ]


async def test_a_copy_of_an_event_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, skodje: AccessBranch, access: NatsClient
) -> None:
    first_week = WeeklyScheduleSet(branch_id="skodje", periods=[MONDAYS])
    await skodje.publish(first_week)
    await skodje.week(weekly(1, "12:00", "15:00", "staffed"))
    copy = skodje.published[0]  # the first week again, its event id too
    await taken_up_to(access, SCHEDULES, await skodje.send(event_subject(WeeklyScheduleSet), copy))

    assert spans(await staffed_hours(client, MONDAY, MONDAY)) == [
        (oslo(MONDAY, "12:00"), oslo(MONDAY, "15:00"), None)
    ]
    taken = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM subscriber_inbox WHERE subscriber = 'visits-schedules'"
    )
    assert taken == 2


async def test_an_older_exception_arriving_after_a_newer_one_does_not_overwrite_it(
    client: httpx.AsyncClient, skodje: AccessBranch, access: NatsClient
) -> None:
    closed = ScheduleExceptionSet(branch_id="skodje", date=MONDAY, periods=[], label="Stengt")
    extra = ScheduleExceptionSet(
        branch_id="skodje",
        date=MONDAY,
        periods=[staffed("09:00", "18:00")],
        label="Ekstra",
    )
    await skodje.publish(closed, version=3)
    await skodje.publish(extra, version=2)  # older, late
    # The week is another key of the branch's stream: older than the exception, it still counts
    # (for the days the exception does not decide).
    last = await skodje.publish(WeeklyScheduleSet(branch_id="skodje", periods=[MONDAYS]), version=1)
    await taken_up_to(access, SCHEDULES, last)

    assert await staffed_hours(client, MONDAY, MONDAY) == []
    assert spans(await staffed_hours(client, MONDAY + WEEK, MONDAY + WEEK)) == [
        (oslo(MONDAY + WEEK, "10:00"), oslo(MONDAY + WEEK, "16:00"), None)
    ]


@pytest.mark.parametrize(
    ("sunday", "before", "after", "night_hours"),
    [
        # Spring forward: 02:00 CET becomes 03:00 CEST.
        (date(2027, 3, 28), "+01:00", "+02:00", 2),
        # Fall back: 03:00 CEST becomes 02:00 CET; 02:00-03:00 comes twice.
        (date(2027, 10, 31), "+02:00", "+01:00", 4),
    ],
)
async def test_staffed_hours_are_instants_across_the_night_the_clocks_change(
    client: httpx.AsyncClient,
    skodje: AccessBranch,
    access: NatsClient,
    sunday: date,
    before: str,
    after: str,
    night_hours: int,
) -> None:
    await skodje.week(weekly(7, "12:00", "16:00", "staffed"))
    night = ScheduleExceptionSet(
        branch_id="skodje",
        date=sunday,
        periods=[staffed("01:00", "04:00"), staffed("12:00", "16:00")],
        label="Nattope",
    )
    await taken_up_to(access, SCHEDULES, await skodje.publish(night))

    found = await staffed_hours(client, sunday - WEEK, sunday + WEEK)

    assert [(h["date"], h["starts"], h["ends"]) for h in found] == [
        (
            str(sunday - WEEK),
            f"{sunday - WEEK}T12:00:00{before}",
            f"{sunday - WEEK}T16:00:00{before}",
        ),
        (str(sunday), f"{sunday}T01:00:00{before}", f"{sunday}T04:00:00{after}"),
        (str(sunday), f"{sunday}T12:00:00{after}", f"{sunday}T16:00:00{after}"),
        (
            str(sunday + WEEK),
            f"{sunday + WEEK}T12:00:00{after}",
            f"{sunday + WEEK}T16:00:00{after}",
        ),
    ]
    starts, ends, _ = spans(found)[1]
    assert ends - starts == timedelta(hours=night_hours)
    assert spans(found)[0][1] - spans(found)[0][0] == timedelta(hours=4)


@pytest.mark.parametrize(
    "role", [Role.STAFF, Role.TEACHER, Role.SCHOOL_LIBRARIAN], ids=lambda role: role.value
)
async def test_staff_teachers_and_school_librarians_read_staffed_hours(
    client: httpx.AsyncClient, skodje: AccessBranch, access: NatsClient, role: Role
) -> None:
    await taken_up_to(access, SCHEDULES, await skodje.week(MONDAYS))
    headers = bearer(role, school_id=None if role is Role.STAFF else "aspoy-skule")
    assert len(await staffed_hours(client, MONDAY, MONDAY, headers=headers)) == 1


async def test_a_branch_known_but_with_no_hours_learned_has_no_staffed_hours(
    client: httpx.AsyncClient, skodje: AccessBranch
) -> None:
    assert await staffed_hours(client, MONDAY, MONDAY + WEEK) == []


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("from=2027-03-01&to=2027-05-02", 422, "at most 62 days"),
        ("from=2027-03-02&to=2027-03-01", 422, "'to' lies before 'from'"),
        ("from=1772323200&to=2027-03-01", 422, "ISO 8601"),
        ("from=2027-03-01", 422, "Field required"),
        ("from=9999-12-01&to=9999-12-31", 422, "from 2000-01-01 to 2099-12-31"),
        ("from=2027-03-01&to=2027-03-02&branch=x", 422, "Unknown query parameter"),
    ],
)
async def test_a_bad_range_is_refused(
    client: httpx.AsyncClient, skodje: AccessBranch, query: str, status: int, says: str
) -> None:
    response = await client.get(f"/branches/skodje/staffed-hours?{query}", headers=STAFF)
    assert response.status_code == status, response.text
    assert says in response.text


async def test_the_longest_range_is_62_days(
    client: httpx.AsyncClient, skodje: AccessBranch, access: NatsClient
) -> None:
    await taken_up_to(access, SCHEDULES, await skodje.week(MONDAYS))
    found = await staffed_hours(client, MONDAY, MONDAY + timedelta(days=61))
    assert len(found) == 9  # the Mondays of 1 March to 1 May 2027


async def test_staffed_hours_are_for_a_known_branch_of_ones_own_municipality_and_roles(
    client: httpx.AsyncClient, skodje: AccessBranch
) -> None:
    week = "from=2027-03-01&to=2027-03-07"
    unknown = await client.get(f"/branches/nowhere/staffed-hours?{week}", headers=STAFF)
    assert (unknown.status_code, unknown.json()["error"]) == (404, "not_found")
    giske = bearer(Role.STAFF, tenant="1532")
    other = await client.get(f"/branches/skodje/staffed-hours?{week}", headers=giske)
    assert other.status_code == 404
    viewer = await client.get(f"/branches/skodje/staffed-hours?{week}", headers=bearer(Role.VIEWER))
    assert viewer.status_code == 403
    assert (await client.get(f"/branches/skodje/staffed-hours?{week}")).status_code == 401
