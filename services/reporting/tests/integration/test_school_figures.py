"""The schools' read models on a real PostgreSQL: events built from the visits contracts go in,
the figures the API serves come out; an event applied twice changes nothing, and a replay from
the start (a rebuild) comes to the same figures. Then the same over NATS and HTTP, with the
runtime's own rebuild."""

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import nats
import pytest
from fastapi import FastAPI

from tvers_contracts import REGISTRY, DomainEvent, Envelope, event_subject
from tvers_contracts.events.visits import (
    CancelledBy,
    CancelReason,
    ClassVisitBooked,
    ClassVisitCancelled,
    ClassVisitHeld,
    ClassVisitRescheduled,
    DepositCancelled,
    DepositDelivered,
    DepositDueDateSet,
    DepositOrdered,
    DepositPrepared,
    DepositReturned,
    OrdererRole,
    Programme,
    SchoolClass,
    SchoolClassesSet,
    SchoolParticipants,
    SchoolRegistered,
    SchoolType,
    ThemeDayCancelled,
    ThemeDayChanged,
    ThemeDayHeld,
    ThemeDayPlanned,
)
from tvers_contracts.events.visits import v1 as visits_v1
from tvers_reporting.read_models import school_queries as queries
from tvers_reporting.read_models.deposits import Deposits
from tvers_reporting.read_models.school_visits import SchoolVisits
from tvers_reporting.read_models.schools import Schools
from tvers_reporting.read_models.theme_days import ThemeDays
from tvers_runtime.auth import Role
from tvers_runtime.projection import Projection, live_schema, rebuild
from tvers_runtime.projection.schema import create_read_model, quote, use_schema
from tvers_runtime.relay import ensure_stream
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
TENANT = "1508"
YEAR = "2026-2027"
VIEWER = bearer(Role.VIEWER)
AT = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def _visit(
    school: str, label: str, branch: str, programme: Programme, day: int
) -> ClassVisitBooked:
    return ClassVisitBooked(
        visit_id=uuid4(),
        school_id=school,
        school_year=YEAR,
        grade=int(label[:-1]),
        class_label=label,
        branch_id=branch,
        starts_at=datetime(2026, 10, day, 8, 30, tzinfo=UTC),
        ends_at=datetime(2026, 10, day, 10, 30, tzinfo=UTC),
        expected_pupils=18,
        programme=programme,
    )


def _held(booked: ClassVisitBooked, pupils: int, cards: int) -> ClassVisitHeld:
    return ClassVisitHeld(
        visit_id=booked.visit_id,
        school_id=booked.school_id,
        school_year=YEAR,
        grade=booked.grade,
        class_label=booked.class_label,
        branch_id=booked.branch_id,
        held_on=booked.starts_at.date(),
        programme=booked.programme,
        pupils_present=pupils,
        library_cards_handed_out=cards,
        consent_forms_collected=cards,
    )


def _classes(school: str, *labels: str) -> SchoolClassesSet:
    return SchoolClassesSet(
        school_id=school,
        school_year=YEAR,
        classes=[SchoolClass(grade=int(x[:-1]), class_label=x, pupils=20) for x in labels],
    )


def _order(deposit: UUID, school: str) -> DepositOrdered:
    return DepositOrdered(
        deposit_id=deposit,
        school_id=school,
        theme="Vikingtida",
        books=30,
        wished_delivery_on=date(2026, 9, 10),
        ordered_on=date(2026, 9, 1),
        ordered_by=OrdererRole.TEACHER,
    )


def _plan(day_id: UUID, day: date, **where: str) -> ThemeDayPlanned:
    return ThemeDayPlanned(theme_day_id=day_id, topic="Lesegleda", day=day, **where)


def scenario() -> list[tuple[str, DomainEvent | visits_v1.ClassVisitHeld]]:
    """A school year's events, each with its stream: two schools, their classes, visits in every
    state, deposits at every step, theme days planned, changed, cancelled and held."""
    year_stream = f"school-year-{TENANT}-{YEAR}"
    register = f"school-register-{TENANT}"
    haroy_2a = _visit("haroy-skule", "2A", "haroy", Programme.SECOND_GRADE, 5)
    haroy_2b = _visit("haroy-skule", "2B", "haroy", Programme.SECOND_GRADE, 6)
    haroy_2c = _visit("haroy-skule", "2C", "haroy", Programme.SECOND_GRADE, 7)
    haroy_2c_again = _visit("haroy-skule", "2C", "haroy", Programme.SECOND_GRADE, 8)
    vik_9a = _visit("vik-skule", "9A", "sentrum", Programme.NINTH_GRADE, 5)
    vik_2a_other = _visit("vik-skule", "2A", "vik", Programme.OTHER, 6)
    d1, d2, d3, d4, d5 = (uuid4() for _ in range(5))
    t1, t2, t3, t4 = (uuid4() for _ in range(4))
    themes = f"theme-days-{TENANT}"
    return [
        (register, SchoolRegistered(school_id="haroy-skule", name="Harøy skule",
                                    school_type=SchoolType.PRIMARY, nearest_branch_id="haroy")),
        (register, SchoolRegistered(school_id="vik-skule", name="Vik skule",
                                    school_type=SchoolType.COMBINED, nearest_branch_id="vik")),
        (year_stream, _classes("haroy-skule", "2A", "2B", "5A")),
        # The classes replaced: 2C added.
        (year_stream, _classes("haroy-skule", "2A", "2B", "2C", "5A")),
        (year_stream, _classes("vik-skule", "2A", "9A", "9B")),
        (year_stream, haroy_2a),
        (year_stream, _held(haroy_2a, pupils=19, cards=17)),
        (year_stream, haroy_2b),
        (year_stream, ClassVisitRescheduled(visit_id=haroy_2b.visit_id, branch_id="sentrum",
                                            starts_at=haroy_2b.starts_at,
                                            ends_at=haroy_2b.ends_at)),
        # 2C booked, cancelled (not yet again), booked again, cancelled again: not yet.
        (year_stream, haroy_2c),
        (year_stream, ClassVisitCancelled(visit_id=haroy_2c.visit_id,
                                          reason=CancelReason.ILLNESS)),
        (year_stream, haroy_2c_again),
        (year_stream, ClassVisitCancelled(visit_id=haroy_2c_again.visit_id,
                                          reason=CancelReason.WEATHER_OR_TRAVEL)),
        (year_stream, vik_9a),
        (year_stream, _held(vik_9a, pupils=25, cards=0)),
        # An "other" visit is reach, not programme coverage.
        (year_stream, vik_2a_other),
        (year_stream, _held(vik_2a_other, pupils=10, cards=2)),
        # An old version 1 event, recorded without a booking: upcast to the 9th-grade programme.
        (f"classvisit-{uuid4()}", visits_v1.ClassVisitHeld(
            visit_id=uuid4(), school_id="vik-skule", grade=9, class_label="9B",
            branch_id="sentrum", held_on=date(2026, 10, 12), pupils_present=21,
            library_cards_handed_out=3)),
        (f"deposit-{d1}", _order(d1, "haroy-skule")),
        (f"deposit-{d1}", DepositPrepared(deposit_id=d1, books=28)),
        (f"deposit-{d1}", DepositDelivered(deposit_id=d1, delivered_on=date(2026, 9, 10),
                                           due_on=date(2026, 11, 5))),
        (f"deposit-{d1}", DepositDueDateSet(deposit_id=d1, due_on=date(2026, 11, 20))),
        (f"deposit-{d2}", _order(d2, "haroy-skule")),
        (f"deposit-{d2}", DepositPrepared(deposit_id=d2)),
        (f"deposit-{d2}", DepositDelivered(deposit_id=d2, delivered_on=date(2026, 9, 10),
                                           due_on=date(2026, 10, 1))),
        (f"deposit-{d2}", DepositReturned(deposit_id=d2, returned_on=date(2026, 9, 30))),
        (f"deposit-{d3}", _order(d3, "haroy-skule")),
        (f"deposit-{d3}", DepositCancelled(deposit_id=d3, cancelled_by=CancelledBy.SCHOOL)),
        (f"deposit-{d4}", _order(d4, "vik-skule")),
        (f"deposit-{d5}", _order(d5, "vik-skule")),
        (f"deposit-{d5}", DepositPrepared(deposit_id=d5)),
        (themes, _plan(t1, date(2026, 10, 15), branch_id="haroy")),
        (themes, ThemeDayChanged(theme_day_id=t1, topic="Lesegleda i mørketida",
                                 day=date(2026, 10, 16), branch_id="haroy")),
        (themes, ThemeDayHeld(theme_day_id=t1, participants=[
            SchoolParticipants(school_id="haroy-skule", participants=3),
            SchoolParticipants(school_id="vik-skule", participants=2)])),
        (themes, _plan(t2, date(2026, 11, 12), place="Kulturhuset")),
        (themes, ThemeDayCancelled(theme_day_id=t2)),
        (themes, _plan(t3, date(2027, 3, 2), branch_id="sentrum")),
        # Last school year's: not in this one.
        (themes, _plan(t4, date(2025, 10, 1), branch_id="haroy")),
        (themes, ThemeDayHeld(theme_day_id=t4, participants=[
            SchoolParticipants(school_id="vik-skule", participants=9)])),
    ]  # fmt: skip


def envelopes(events: Sequence[tuple[str, Any]]) -> list[Envelope[DomainEvent]]:
    """The events as their owner's relay publishes them: each stream's in version order."""
    versions: dict[str, int] = {}
    out = []
    for stream_id, payload in events:
        versions[stream_id] = versions.get(stream_id, 0) + 1
        out.append(
            Envelope[DomainEvent](
                event_id=uuid4(),
                event_type=type(payload).event_type(),
                schema_version=type(payload).schema_version,
                tenant=TENANT,
                stream_id=stream_id,
                stream_version=versions[stream_id],
                occurred_at=AT,
                recorded_at=AT,
                correlation_id=uuid4(),
                payload=payload,
            )
        )
    return out


def upcast(envelope: Envelope[DomainEvent]) -> Envelope[DomainEvent]:
    """The envelope as the runner hands it to a projection: its payload at the current version."""
    payload = REGISTRY.decode(
        envelope.event_type, envelope.schema_version, envelope.payload.model_dump(mode="json")
    )
    return envelope.model_copy(update={"payload": payload})


MODELS: tuple[Projection, ...] = (Schools(), SchoolVisits(), Deposits(), ThemeDays())
SCHOOLS, VISITS, DEPOSITS, THEME_DAYS = MODELS

EXPECTED_COVERAGE = [
    queries.Coverage("haroy-skule", 2, classes=3, booked=1, held=1, not_yet=1),
    queries.Coverage("vik-skule", 2, classes=1, booked=0, held=0, not_yet=1),
    queries.Coverage("vik-skule", 9, classes=2, booked=0, held=2, not_yet=0),
]
EXPECTED_REACH = [
    queries.Reach("haroy-skule", "haroy", visits=1, pupils=19, library_cards=17),
    queries.Reach("vik-skule", "sentrum", visits=2, pupils=46, library_cards=3),
    queries.Reach("vik-skule", "vik", visits=1, pupils=10, library_cards=2),
]
NONE = dict.fromkeys(("requested", "prepared", "delivered", "returned", "cancelled"), 0)


def expected_deposits(overdue: int) -> list[queries.DepositCounts]:
    return [
        queries.DepositCounts(
            "haroy-skule", {**NONE, "delivered": 1, "returned": 1, "cancelled": 1}, overdue
        ),
        queries.DepositCounts("vik-skule", {**NONE, "requested": 1, "prepared": 1}, 0),
    ]


async def figures(pool: asyncpg.Pool, on: date = date(2026, 11, 21)) -> dict[str, Any]:
    """Everything the schools' read models answer for the scenario's year."""
    return {
        "names": await queries.school_names(pool, SCHOOLS, tenant=TENANT),
        "coverage": await queries.coverage(pool, VISITS, tenant=TENANT, school_year=YEAR),
        "reach": await queries.reach(pool, VISITS, tenant=TENANT, school_year=YEAR),
        "deposits": await queries.deposit_counts(pool, DEPOSITS, tenant=TENANT, on=on),
        "theme_days": [
            (row.topic, row.day, row.stage, row.participants)
            for row in await queries.theme_days(pool, THEME_DAYS, tenant=TENANT, school_year=YEAR)
        ],
    }


EXPECTED_THEME_DAYS = [
    ("Lesegleda i mørketida", date(2026, 10, 16), "held", {"haroy-skule": 3, "vik-skule": 2}),
    ("Lesegleda", date(2026, 11, 12), "cancelled", {}),
    ("Lesegleda", date(2027, 3, 2), "planned", {}),
]


async def fresh_models(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as connection, connection.transaction():
        for model in MODELS:
            schema = live_schema(model)
            await connection.execute(f"DROP SCHEMA IF EXISTS {quote(schema)} CASCADE")
            await create_read_model(connection, model, schema)


async def project(
    pool: asyncpg.Pool, events: Sequence[Envelope[DomainEvent]], batch: int = 1000
) -> None:
    """Apply events to every model that handles them, in batches, as the runner does."""
    for start in range(0, len(events), batch):
        async with pool.acquire() as connection, connection.transaction():
            for model in MODELS:
                await use_schema(connection, live_schema(model))
                mine = [e for e in events[start : start + batch] if e.event_type in model.handles]
                if mine:
                    await model.apply(connection, mine)


async def test_each_model_holds_the_figures_of_the_events(pool: asyncpg.Pool) -> None:
    await fresh_models(pool)
    await project(pool, [upcast(e) for e in envelopes(scenario())])
    await assert_the_expected_figures(pool)
    names = await queries.school_names(pool, SCHOOLS, tenant=TENANT)
    assert names == {"haroy-skule": "Harøy skule", "vik-skule": "Vik skule"}
    # The due date is the last day included: on it the deposit is not yet overdue.
    assert (await figures(pool, on=date(2026, 11, 20)))["deposits"] == expected_deposits(0)
    only_vik = await queries.theme_days(
        pool, THEME_DAYS, tenant=TENANT, school_year=YEAR, school_id="vik-skule"
    )
    assert [row.day for row in only_vik] == [date(2026, 10, 16)]
    assert await queries.coverage(pool, VISITS, tenant="other", school_year=YEAR) == []


async def test_an_event_applied_twice_changes_nothing(pool: asyncpg.Pool) -> None:
    events = [upcast(e) for e in envelopes(scenario())]
    await fresh_models(pool)
    await project(pool, [e for event in events for e in (event, event)])
    await assert_the_expected_figures(pool)
    # And the whole history again, late and backwards, on top: nothing moves back or adds up.
    await project(pool, events[::-1], batch=1)
    await assert_the_expected_figures(pool)
    classes = await pool.fetch(
        "SELECT class_label FROM rm_school_visits.classes WHERE school_id = 'haroy-skule'"
    )
    assert sorted(row[0] for row in classes) == ["2A", "2B", "2C", "5A"]


async def assert_the_expected_figures(pool: asyncpg.Pool) -> None:
    held = await figures(pool)
    assert held["coverage"] == EXPECTED_COVERAGE
    assert held["reach"] == EXPECTED_REACH
    assert held["deposits"] == expected_deposits(overdue=1)
    assert held["theme_days"] == EXPECTED_THEME_DAYS


async def test_a_replay_from_the_start_comes_to_the_same_figures(pool: asyncpg.Pool) -> None:
    events = [upcast(e) for e in envelopes(scenario())]
    await fresh_models(pool)
    await project(pool, events)
    first = await figures(pool)
    await fresh_models(pool)
    await project(pool, events, batch=1)
    assert await figures(pool) == first


# Over NATS and HTTP, with the runtime's rebuild.


async def publish(nats_url: str, events: Sequence[Envelope[DomainEvent]]) -> None:
    client = await nats.connect(nats_url)
    try:
        await ensure_stream(client.jsm(), "visits")
        for envelope in events:
            await client.jetstream().publish(
                event_subject(REGISTRY.current(envelope.event_type)),
                envelope.model_dump_json(serialize_as_any=True).encode(),
            )
    finally:
        await client.close()


async def answers(client: httpx.AsyncClient) -> dict[str, Any]:
    paths = {
        "coverage": f"/api/schools/coverage?school_year={YEAR}",
        "reach": f"/api/schools/reach?school_year={YEAR}",
        "deposits": "/api/schools/deposits?on=2026-11-21",
        "theme_days": f"/api/schools/theme-days?school_year={YEAR}",
    }
    out = {}
    for name, path in paths.items():
        response = await client.get(path, headers=VIEWER)
        assert response.status_code == 200, response.text
        out[name] = response.json()
    return out


async def test_the_api_answers_the_figures_and_a_rebuild_gives_the_same(
    client: httpx.AsyncClient, app: FastAPI, nats_server: NatsUnderTest
) -> None:
    events = envelopes(scenario())
    await publish(nats_server.url, events)

    async def all_in() -> bool:
        got = await answers(client)
        return (
            len(got["theme_days"]) == 3
            and len(got["reach"]) == 3
            and any(row["school_name"] for row in got["coverage"])
            and sum(r["requested"] + r["prepared"] for r in got["deposits"]) == 2
            and sum(r["returned"] for r in got["deposits"]) == 1
        )

    await eventually(all_in)
    await asyncio.sleep(0.5)  # anything still on its way would show below
    got = await answers(client)
    assert got["coverage"] == [
        {"school_year": YEAR, "school_name": "Harøy skule", **vars(row)}
        if row.school_id == "haroy-skule"
        else {"school_year": YEAR, "school_name": "Vik skule", **vars(row)}
        for row in EXPECTED_COVERAGE
    ]
    assert [(r["school_id"], r["branch_id"], r["visits"], r["pupils"], r["library_cards"])
            for r in got["reach"]] == [
        (r.school_id, r.branch_id, r.visits, r.pupils, r.library_cards) for r in EXPECTED_REACH
    ]  # fmt: skip
    assert [
        {k: v for k, v in row.items() if k != "school_name"} for row in got["deposits"]
    ] == [{"school_id": d.school_id, **d.by_status, "overdue": d.overdue}
          for d in expected_deposits(overdue=1)]  # fmt: skip
    held = got["theme_days"][0]
    assert (held["stage"], held["participants"], held["schools"]) == (
        "held",
        5,
        [
            {"school_id": "haroy-skule", "school_name": "Harøy skule", "participants": 3},
            {"school_id": "vik-skule", "school_name": "Vik skule", "participants": 2},
        ],
    )
    assert [day["stage"] for day in got["theme_days"]] == ["held", "cancelled", "planned"]

    infra = app.state.infrastructure
    for model in ("schools", "school_visits", "deposits", "theme_days"):
        await rebuild(infra.pool, infra.nats, getattr(app.state, model))
    assert await answers(client) == got

    # Every event published once more (a republisher outside the dedupe window): nothing moves.
    await publish(nats_server.url, [e.model_copy(update={"event_id": uuid4()}) for e in events])
    late = uuid4()
    await publish(nats_server.url, envelopes([(f"deposit-{late}", _order(late, "ytre-skule"))]))

    async def late_one_in() -> bool:
        return len((await answers(client))["deposits"]) == 3

    await eventually(late_one_in)
    again = await answers(client)
    assert again["deposits"][:2] == got["deposits"]
    assert {k: v for k, v in again.items() if k != "deposits"} == {
        k: v for k, v in got.items() if k != "deposits"
    }


async def test_a_school_year_that_is_no_year_is_refused(client: httpx.AsyncClient) -> None:
    for path in ("coverage", "reach", "theme-days", "deposits"):
        response = await client.get(f"/api/schools/{path}?school_year=2026-2028", headers=VIEWER)
        assert response.status_code == 422, path
