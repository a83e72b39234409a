"""The NATS users ``tvers up`` makes: a subscribing service can run its durable subscriber on the
source stream, and do nothing else there (real NATS with the generated configuration, real
PostgreSQL)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import nats
import pytest
import pytest_asyncio
from nats.js.api import ConsumerConfig

from tvers_cli.layout import PUBLISHERS
from tvers_cli.nats_accounts import SUBSCRIBERS, server_config, users
from tvers_contracts import REGISTRY
from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.pool import create_pool
from tvers_runtime.embedded import EmbeddedNats
from tvers_runtime.known_branches import MIGRATIONS as KNOWN_BRANCHES_MIGRATIONS
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.subscriber import MIGRATIONS as SUBSCRIBER_MIGRATIONS
from tvers_runtime.subscriber import SubscriberRunner
from tvers_runtime.testing.branches import publish_branch_registered
from tvers_runtime.testing.pipeline import eventually

pytestmark = pytest.mark.servers
PASSWORDS = {name: f"password-of-{name}" for name in users()}


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


@pytest.mark.parametrize("service", sorted(SUBSCRIBERS))
async def test_a_subscribing_service_runs_its_durable_subscriber_on_the_source_stream(
    server: EmbeddedNats, database_url: str, service: str
) -> None:
    pool = await create_pool(database_url, application_name="tests")
    async with pool.acquire() as connection:
        await apply_migrations(connection, [SUBSCRIBER_MIGRATIONS, KNOWN_BRANCHES_MIGRATIONS])
    runner = SubscriberRunner(
        name=service,
        nats_url=url_of(server, service),
        pool=pool,
        registry=REGISTRY,
        subscribers=SUBSCRIBERS[service],
    )
    task = asyncio.create_task(runner.run())
    admin = await nats.connect(url_of(server, "tvers"))
    try:
        await publish_branch_registered(admin, "haroy", "Harøy")

        async def acked() -> bool:
            with contextlib.suppress(Exception):
                info = await admin.jsm().consumer_info("ACCESS", f"{service}-branches")
                return info.ack_floor is not None and info.ack_floor.stream_seq == 1
            return False

        await eventually(acked)
        assert await pool.fetchval("SELECT name FROM known_branches") == "Harøy"
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


@pytest.mark.parametrize("service", sorted(SUBSCRIBERS))
async def test_a_subscribing_service_may_do_nothing_else_on_the_source_stream(
    server: EmbeddedNats, service: str
) -> None:
    errors: list[str] = []

    async def remember(error: Exception) -> None:
        errors.append(str(error))

    client = await nats.connect(url_of(server, service), error_cb=remember)
    manager = client.jsm(timeout=1)
    durable = f"{service}-branches"
    outcomes: dict[str, str] = {}
    try:
        await attempt(
            outcomes,
            "create a consumer of another name",
            manager.add_consumer(
                "ACCESS",
                ConsumerConfig(name="mine", durable_name="mine", filter_subject="access.>"),
            ),
        )
        await attempt(
            outcomes,
            "widen its durable to the whole stream",
            manager.add_consumer(
                "ACCESS",
                ConsumerConfig(name=durable, durable_name=durable, filter_subject="access.>"),
            ),
        )
        await attempt(
            outcomes,
            "widen its durable with several filters",
            manager.add_consumer(
                "ACCESS",
                ConsumerConfig(
                    name=durable,
                    durable_name=durable,
                    filter_subjects=["access.door.entry_granted", "access.branch.>"],
                ),
            ),
        )
        await attempt(outcomes, "read a message directly", manager.get_msg("ACCESS", 1))
        await attempt(outcomes, "read the stream's info", manager.stream_info("ACCESS"))
        await attempt(outcomes, "delete the stream", manager.delete_stream("ACCESS"))
        await attempt(
            outcomes,
            "publish into the stream",
            client.jetstream().publish("access.branch.branch_registered", b"{}", timeout=1),
        )
        # What it may do works: the refusals above are permissions, not a broken connection.
        await attempt(
            outcomes,
            "create its own durable",
            manager.add_consumer(
                "ACCESS",
                ConsumerConfig(
                    name=durable,
                    durable_name=durable,
                    filter_subject="access.branch.branch_registered",
                ),
            ),
        )
        await asyncio.sleep(0.2)
    finally:
        await client.close()
    assert outcomes.pop("create its own durable") == "allowed"
    assert "allowed" not in outcomes.values(), outcomes
    assert any("permissions violation" in e.lower() for e in errors), errors
