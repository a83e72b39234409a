"""The NATS users ``tvers up`` makes: a subscribing service can run each of its durable
subscribers on the source stream, and do nothing else there (real NATS with the generated
configuration, real PostgreSQL)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig

from tvers_access.bootstrap import MIGRATIONS as ACCESS_MIGRATIONS
from tvers_access.testing.check_ins import ShiftAttendance, publish
from tvers_cli.layout import PUBLISHERS
from tvers_cli.nats_accounts import SUBSCRIBERS, server_config, users
from tvers_contracts import REGISTRY, DomainEvent, event_subject
from tvers_contracts.events.visits import AuthorRole, ResourceCategory, ResourcePageWritten
from tvers_contracts.events.volunteers import ShiftReminderIssued, VolunteerDeactivated
from tvers_runtime.branch_schedules import MIGRATIONS as BRANCH_SCHEDULE_MIGRATIONS
from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.pool import create_pool
from tvers_runtime.embedded import EmbeddedNats
from tvers_runtime.eventstore import MIGRATIONS as EVENTSTORE_MIGRATIONS
from tvers_runtime.known_branches import MIGRATIONS as KNOWN_BRANCHES_MIGRATIONS
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.subscriber import MIGRATIONS as SUBSCRIBER_MIGRATIONS
from tvers_runtime.subscriber import Subscriber, SubscriberRunner
from tvers_runtime.testing.branches import publish_branch_registered
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.schedules import AccessBranch, weekly
from tvers_visits.adapters.resource_search import MIGRATIONS as RESOURCE_SEARCH_MIGRATIONS
from tvers_volunteers.adapters.leavers import MIGRATIONS as LEAVER_MIGRATIONS
from tvers_volunteers.adapters.outbox import MIGRATIONS as MAIL_MIGRATIONS

pytestmark = pytest.mark.servers
PASSWORDS = {name: f"password-of-{name}" for name in users()}
EVERY_SUBSCRIBER = [
    pytest.param(service, subscriber, id=subscriber.durable)
    for service, subscribers in sorted(SUBSCRIBERS.items())
    for subscriber in subscribers
]


async def a_branch_registered(admin: NatsClient) -> None:
    await publish_branch_registered(admin, "haroy", "Harøy")


async def a_check_in(admin: NatsClient) -> None:
    starts = datetime.now(UTC)
    shift = ShiftAttendance(
        branch_id="haroy", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    await publish(admin, shift.check_in(uuid4(), starts))


async def published(admin: NatsClient, event: DomainEvent, stream_id: str) -> None:
    """An event on its owner's stream, as the owner's relay would publish it."""
    now = datetime.now(UTC)
    envelope = REGISTRY.envelope_of(type(event))(
        event_id=uuid4(),
        event_type=event.event_type(),
        schema_version=event.schema_version,
        tenant="1508",
        stream_id=stream_id,
        stream_version=2,
        occurred_at=now,
        recorded_at=now,
        correlation_id=uuid4(),
        payload=event,
    )
    await admin.jetstream().publish(
        event_subject(type(event)),
        envelope.model_dump_json().encode(),
        headers={"Nats-Msg-Id": str(envelope.event_id)},
    )


async def a_reminder(admin: NatsClient) -> None:
    starts = datetime.now(UTC) + timedelta(days=1)
    event = ShiftReminderIssued(
        shift_id=uuid4(),
        volunteer_id=uuid4(),
        branch_id="haroy",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    await published(admin, event, f"shift-{event.shift_id}")


async def a_deactivation(admin: NatsClient) -> None:
    event = VolunteerDeactivated(volunteer_id=uuid4(), staff_id="staff:kari")
    await published(admin, event, f"volunteer-{event.volunteer_id}")


async def a_resource_page(admin: NatsClient) -> None:
    event = ResourcePageWritten(
        slug="lanekort",
        version=2,
        author_role=AuthorRole.SCHOOL_LIBRARIAN,
        category=ResourceCategory.CLASS_VISIT_PROGRAMMES,
        title="Lånekort",
        markdown="Elevane får lånekort.",
    )
    await published(admin, event, "resource-page-1508-lanekort")


async def a_weekly_schedule(admin: NatsClient) -> None:
    await AccessBranch(admin, "haroy").week(weekly(2, "17:00", "21:00"))


#: An event each subscriber takes, published on its source stream as the owner would.
AN_EVENT_OF: dict[str, Callable[[NatsClient], Awaitable[None]]] = {
    "volunteers-branches": a_branch_registered,
    "volunteers-schedules": a_weekly_schedule,
    "visits-branches": a_branch_registered,
    "visits-schedules": a_weekly_schedule,
    "visits-resource-search": a_resource_page,
    "access-check-ins": a_check_in,
    "volunteers-mail": a_reminder,
    "volunteers-leavers": a_deactivation,
}


@pytest_asyncio.fixture
async def server(tmp_path: Path) -> AsyncIterator[EmbeddedNats]:
    running = EmbeddedNats(tmp_path / "nats", config=server_config(PASSWORDS))
    running.start()
    try:
        admin = await nats.connect(url_of(running, "tvers"))
        for service in PUBLISHERS:
            await ensure_stream(admin.jsm(), service)
        await admin.close()
        yield running
    finally:
        running.stop()


def url_of(server: EmbeddedNats, user: str) -> str:
    return f"nats://{user}:{PASSWORDS[user]}@{server.host}:{server.port}"


def test_every_subscriber_has_an_event_to_test_it_with() -> None:
    durables = [s.durable for subscribers in SUBSCRIBERS.values() for s in subscribers]
    assert sorted(AN_EVENT_OF) == sorted(durables)


@pytest.mark.parametrize(("service", "subscriber"), EVERY_SUBSCRIBER)
async def test_a_subscribing_service_runs_its_durable_subscriber_on_the_source_stream(
    server: EmbeddedNats, database_url: str, service: str, subscriber: Subscriber
) -> None:
    pool = await create_pool(database_url, application_name="tests")
    async with pool.acquire() as connection:
        await apply_migrations(
            connection,
            [
                EVENTSTORE_MIGRATIONS,
                SUBSCRIBER_MIGRATIONS,
                KNOWN_BRANCHES_MIGRATIONS,
                ACCESS_MIGRATIONS,
                MAIL_MIGRATIONS,
                LEAVER_MIGRATIONS,
                BRANCH_SCHEDULE_MIGRATIONS,
                RESOURCE_SEARCH_MIGRATIONS,
            ],
        )
    runner = SubscriberRunner(
        name=service,
        nats_url=url_of(server, service),
        pool=pool,
        registry=REGISTRY,
        subscribers=[subscriber],
    )
    task = asyncio.create_task(runner.run())
    admin = await nats.connect(url_of(server, "tvers"))
    try:
        await AN_EVENT_OF[subscriber.durable](admin)

        async def acked() -> bool:
            with contextlib.suppress(Exception):
                info = await admin.jsm().consumer_info(subscriber.stream, subscriber.durable)
                return info.ack_floor is not None and info.ack_floor.stream_seq == 1
            return False

        await eventually(acked)
        taken = await pool.fetch("SELECT subscriber FROM subscriber_inbox")
        assert [row["subscriber"] for row in taken] == [subscriber.durable]
        assert await pool.fetchval("SELECT count(*) FROM subscriber_dead_letters") == 0
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await admin.close()
        await pool.close()


async def attempt(outcomes: dict[str, str], name: str, action: Awaitable[Any]) -> None:
    try:
        await action
    except Exception as error:
        outcomes[name] = type(error).__name__
    else:
        outcomes[name] = "allowed"


@pytest.mark.parametrize(("service", "subscriber"), EVERY_SUBSCRIBER)
async def test_a_subscribing_service_may_do_nothing_else_on_the_source_stream(
    server: EmbeddedNats, service: str, subscriber: Subscriber
) -> None:
    errors: list[str] = []

    async def remember(error: Exception) -> None:
        errors.append(str(error))

    client = await nats.connect(url_of(server, service), error_cb=remember)
    manager = client.jsm(timeout=1)
    stream, durable, source = subscriber.stream, subscriber.durable, subscriber.source
    outcomes: dict[str, str] = {}
    refusals: dict[str, Awaitable[Any]] = {
        "create a consumer of another name": manager.add_consumer(
            stream,
            ConsumerConfig(name="mine", durable_name="mine", filter_subject=f"{source}.>"),
        ),
        "widen its durable to the whole stream": manager.add_consumer(
            stream,
            ConsumerConfig(name=durable, durable_name=durable, filter_subject=f"{source}.>"),
        ),
    }
    if len(subscriber.subjects) == 1:
        # A durable of several filters cannot be held to them: the subject of its create
        # request cannot name them (the residual risk in tvers_cli.nats_accounts).
        refusals["widen its durable with several filters"] = manager.add_consumer(
            stream,
            ConsumerConfig(
                name=durable,
                durable_name=durable,
                filter_subjects=[subscriber.subjects[0], f"{source}.*.*"],
            ),
        )
    refusals["delete the stream"] = manager.delete_stream(stream)
    if source != service:
        # On its own stream (volunteers-mail) a service reads and publishes as its owner.
        refusals |= {
            "read a message directly": manager.get_msg(stream, 1),
            "read the stream's info": manager.stream_info(stream),
            "publish into the stream": client.jetstream().publish(
                subscriber.subjects[0], b"{}", timeout=1
            ),
        }
    try:
        # A refused request is never answered: each waits out its timeout, so all at once.
        await asyncio.gather(*(attempt(outcomes, name, call) for name, call in refusals.items()))
        # What it may do works: the refusals above are permissions, not a broken connection.
        await attempt(
            outcomes,
            "create its own durable",
            manager.add_consumer(stream, subscriber.consumer_config()),
        )
        await asyncio.sleep(0.2)
    finally:
        await client.close()
    assert outcomes.pop("create its own durable") == "allowed"
    assert "allowed" not in outcomes.values(), outcomes
    assert any("permissions violation" in e.lower() for e in errors), errors
