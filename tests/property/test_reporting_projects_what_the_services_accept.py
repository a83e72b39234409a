"""Reporting is never the first to see an invalid value: whatever the volunteers and visits APIs
accept, the reporting projections can apply.

Hypothesis drafts request bodies within and around the services' bounds (dates from year 1 to
9999, near now and far off, offsets from -12:00 to +14:00, lengths and counts past their limits).
The real apps run in process on real PostgreSQL; every event they store is decoded as a consumer
would and applied by each reporting projection to its own tables (its ``tables_sql``, in a scratch
schema), which must not raise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tvers_contracts import REGISTRY, DomainEvent, Envelope
from tvers_reporting.read_models.branches import Branches
from tvers_reporting.read_models.daily_activity import DailyActivity
from tvers_reporting.read_models.host_coverage import HostCoverage
from tvers_reporting.read_models.volunteer_shifts import VolunteerShifts
from tvers_reporting.read_models.volunteers import Volunteers
from tvers_runtime.auth import Role
from tvers_runtime.eventstore import LOG_START, LogPosition
from tvers_runtime.projection import Projection
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import bearer, running, service_settings
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_visits.bootstrap import build_app as visits_app
from tvers_visits.settings import VisitsSettings
from tvers_volunteers.bootstrap import build_app as volunteers_app
from tvers_volunteers.testing.people import eligible_volunteer
from tvers_volunteers.testing.settings import volunteers_settings

pytestmark = [pytest.mark.servers, pytest.mark.slow]
OSLO = ZoneInfo("Europe/Oslo")
BRANCHES = ("alesund-sentrum", "brattvag")
STAFF = bearer(Role.STAFF)
EXAMPLES = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Reporting:
    """Each reporting projection with its tables in a scratch schema of its own."""

    def __init__(self, connection: asyncpg.Connection, projections: list[Projection]) -> None:
        self.connection = connection
        self.projections = projections

    @classmethod
    async def create(cls, connection: asyncpg.Connection) -> Reporting:
        projections: list[Projection] = [
            DailyActivity("Europe/Oslo"),
            Branches(),
            VolunteerShifts("Europe/Oslo"),
            Volunteers("Europe/Oslo"),
            HostCoverage(),
        ]
        for projection in projections:
            schema = f"scratch_{projection.name}"
            await connection.execute(f'CREATE SCHEMA "{schema}"')
            async with connection.transaction():
                await connection.execute(f'SET LOCAL search_path TO "{schema}"')
                await connection.execute(projection.tables_sql)
        return cls(connection, projections)

    async def project(self, envelopes: list[Envelope[DomainEvent]]) -> None:
        for projection in self.projections:
            handled = [e for e in envelopes if e.event_type in projection.handles]
            if not handled:
                continue
            async with self.connection.transaction():
                await self.connection.execute(
                    f'SET LOCAL search_path TO "scratch_{projection.name}"'
                )
                await projection.apply(self.connection, handled)


class Service:
    """A service app running in process, and how far its events have been projected."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self.app = app
        self.client = client
        self.projected: LogPosition = LOG_START

    async def new_envelopes(self) -> list[Envelope[DomainEvent]]:
        stored = await self.app.state.infrastructure.event_store.read_all(self.projected)
        if stored:
            self.projected = stored[-1].log_position
        return [event.decode(REGISTRY) for event in stored]


AppFactory = Callable[[], Awaitable[Service]]


@pytest_asyncio.fixture
async def services(
    make_database: Callable[[], Awaitable[str]], nats_server: NatsUnderTest
) -> AsyncIterator[tuple[Service, Service, Reporting]]:
    volunteers = volunteers_app(volunteers_settings(await make_database(), nats_server.url))
    visits = visits_app(service_settings(VisitsSettings, await make_database(), nats_server.url))
    reporting = await asyncpg.connect(await make_database())
    try:
        async with running(volunteers) as to_volunteers, running(visits) as to_visits:
            for app in (volunteers, visits):
                await learn_branches(app, *BRANCHES)
            school = {
                "school_id": "aspoy-skule",
                "name": "Aspøy skule",
                "school_type": "combined",
                "nearest_branch_id": "alesund-sentrum",
            }
            assert (await to_visits.post("/schools", json=school, headers=STAFF)).is_success
            classes = {
                "classes": [
                    {"grade": 2, "class_label": "2A", "pupils": 28},
                    {"grade": 9, "class_label": "9B", "pupils": 28},
                ]
            }
            this_year = datetime.now(OSLO).year
            for first in range(this_year - 3, this_year + 1):
                url = f"/school-years/{first}-{first + 1}/schools/aspoy-skule/classes"
                assert (await to_visits.put(url, json=classes, headers=STAFF)).is_success
            yield (
                Service(volunteers, to_volunteers),
                Service(visits, to_visits),
                await Reporting.create(reporting),
            )
    finally:
        await reporting.close()


OFFSETS = st.sampled_from(
    [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)), OSLO]
)
# The whole range a datetime has: near its ends, converting to another offset overflows.
ANY_MOMENT = st.datetimes(timezones=OFFSETS)


@st.composite
def shift_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """Starts near now (two years either way) or anywhere; lengths around the limits."""
    now = datetime.now(UTC)
    near = st.builds(
        lambda minutes, zone: (now + timedelta(minutes=minutes)).astimezone(zone),
        st.integers(-2 * 366 * 24 * 60, 2 * 366 * 24 * 60),
        OFFSETS,
    )
    starts = draw(st.one_of(near, ANY_MOMENT))
    length = draw(
        st.one_of(
            st.timedeltas(min_value=timedelta(hours=-2), max_value=timedelta(hours=26)),
            st.sampled_from([timedelta(minutes=15), timedelta(hours=12)]),
        )
    )
    try:
        ends = draw(st.one_of(st.just(starts + length), ANY_MOMENT))
    except OverflowError:
        ends = draw(ANY_MOMENT)
    return {
        "branch_id": draw(st.sampled_from([*BRANCHES, "nowhere"])),
        "starts_at": starts.isoformat(),
        "ends_at": ends.isoformat(),
        "capacity": draw(st.integers(-1, 22)),
    }


@st.composite
def visit_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """Days near today (two years either way) or anywhere; counts around their limits."""
    today = datetime.now(OSLO).date()
    near = st.builds(lambda days: today + timedelta(days=days), st.integers(-800, 30))
    held_on: date = draw(st.one_of(near, st.dates()))
    pupils = draw(st.integers(-1, 62))
    cards = draw(st.one_of(st.integers(-1, 62), st.just(pupils)))
    return {
        "school_id": draw(st.sampled_from(["aspoy-skule", "nowhere-skule"])),
        "grade": draw(st.integers(0, 14)),
        "class_label": draw(st.sampled_from(["2A", "9B"])),
        "branch_id": draw(st.sampled_from([*BRANCHES, "nowhere"])),
        "held_on": held_on.isoformat(),
        "programme": draw(st.sampled_from(["second_grade", "ninth_grade", "other"])),
        "pupils_present": pupils,
        "library_cards_handed_out": cards,
        "consent_forms_collected": draw(st.one_of(st.integers(-1, 62), st.just(cards))),
    }


def a_valid_shift() -> dict[str, Any]:
    starts = datetime.now(UTC) + timedelta(days=2)
    return {
        "branch_id": "brattvag",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "capacity": 2,
    }


def a_valid_visit() -> dict[str, Any]:
    held_on = datetime.now(OSLO).date() - timedelta(days=10)
    if held_on.month == 7:  # the summer holiday: no visits
        held_on = held_on.replace(month=6, day=30)
    return {
        "school_id": "aspoy-skule",
        "grade": 2,
        "class_label": "2A",
        "branch_id": "alesund-sentrum",
        "held_on": held_on.isoformat(),
        "programme": "second_grade",
        "pupils_present": 28,
        "library_cards_handed_out": 28,
        "consent_forms_collected": 28,
    }


@EXAMPLES
@example(body=a_valid_shift())  # always tried, so the accepted path is always projected
@example(
    body={
        "branch_id": "brattvag",
        "starts_at": "0001-01-01T00:00:00+00:00",
        "ends_at": "9999-12-31T23:59:59+00:00",
        "capacity": 2,
    }
)
@example(  # once accepted, its claim made reporting fail with OverflowError
    body={
        "branch_id": "brattvag",
        "starts_at": "9999-12-31T23:00:00+00:00",
        "ends_at": "9999-12-31T23:59:00+00:00",
        "capacity": 2,
    }
)
@given(body=shift_bodies())
async def test_every_shift_the_volunteers_service_accepts_can_be_projected(
    services: tuple[Service, Service, Reporting], body: dict[str, Any]
) -> None:
    volunteers, _, reporting = services
    published = await volunteers.client.post("/shifts", json=body, headers=STAFF)
    assert published.status_code < 500, published.text
    if published.status_code == 201:
        _, claimer = await eligible_volunteer(volunteers.client)
        claim = await volunteers.client.post(
            f"/shifts/{published.json()['shift_id']}/claims", headers=claimer
        )
        assert claim.status_code < 500, claim.text
    await reporting.project(await volunteers.new_envelopes())


@EXAMPLES
@example(body=a_valid_visit())
@example(body={**a_valid_visit(), "held_on": "0001-01-01"})
@given(body=visit_bodies())
async def test_every_class_visit_the_visits_service_accepts_can_be_projected(
    services: tuple[Service, Service, Reporting], body: dict[str, Any]
) -> None:
    _, visits, reporting = services
    recorded = await visits.client.post("/class-visits/held", json=body, headers=STAFF)
    assert recorded.status_code < 500, recorded.text
    await reporting.project(await visits.new_envelopes())
