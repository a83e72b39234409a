"""pytest fixtures giving tests a real PostgreSQL and a real NATS JetStream.

- ``postgres_admin_url`` (session): one server for the run (embedded: it does not flush to the
  disk, see :data:`~tvers_runtime.testing.servers.NO_FLUSH_SETTINGS`).
- ``database_url``: a fresh, empty database per test, dropped afterwards.
- ``durable_database_url``: the same on a server that flushes its commits to the disk, for a test
  about flushing (embedded: a second server, started by the first test that asks for it).
- ``nats``: a NATS server per test. Embedded: a fresh server in the test's own folder, which the
  test may stop, kill and restart. Shared (env or Docker): every stream is deleted first.
- ``access``: the access service's side of that server, to publish its events from a test.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import asyncpg
import httpx
import nats
import pytest
import pytest_asyncio
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient

from tvers_runtime.eventstore import PostgresEventStore
from tvers_runtime.testing.servers import (
    NatsUnderTest,
    postgres_server,
    server_source,
    server_source_from_environment,
    shared_nats_server,
)

T = TypeVar("T")
#: Parallel test processes at most: each runs its own PostgreSQL and NATS servers.
MOST_WORKERS = 4


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers() -> int:
    """How many processes ``-n auto`` starts: one per CPU, at most :data:`MOST_WORKERS`; only one
    when the servers are given by URL, since tests in two processes would delete each other's
    streams on the one NATS server they share."""
    if server_source_from_environment():
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MOST_WORKERS))


def _run_order(item: pytest.Item) -> tuple[int, str]:
    group = _group_of(item)
    if group is not None:
        return 0, group
    # A browser test starts Chromium: seconds, like a slow one.
    slow = item.get_closest_marker("slow") or item.get_closest_marker("browser")
    return (1 if slow else 2), ""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest first, each group of tests together: the tests of an ``xdist_group`` (which
    share an expensive fixture, such as the end-to-end tests' running system), then those
    marked ``slow`` or ``browser``, then the rest, each in the order collected.

    With ``-n auto --dist worksteal`` each worker takes a contiguous share from the front and
    the idle ones steal from the back of the others' shares: a group starts at once, in one
    worker, one test after the other, and the longest tests do not come last. A second group
    goes to the front of the second worker's share (:func:`spread_groups`). (xdist's own
    ``--dist loadgroup`` does not group with pytest 9, whose node ids it can no longer mark.)
    """
    items.sort(key=_run_order)
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    items[:] = spread_groups(items, workers, _group_of)


def _group_of(item: pytest.Item) -> str | None:
    group = item.get_closest_marker("xdist_group")
    if group is None:
        return None
    return str(group.args[0] if group.args else group.kwargs.get("name", "default"))


def spread_groups(items: list[T], workers: int, group_of: Callable[[T], str | None]) -> list[T]:
    """Each ``xdist_group`` at the front of another worker's share (worksteal gives worker ``w``
    the ``w``-th contiguous share of the order, sized as below), so that two long groups (the
    demo's end-to-end test, the other end-to-end tests) start at once on two workers rather than
    one after the other on one; the other tests fill the shares in their order. Groups beyond
    the number of workers share the last worker's front."""
    groups: dict[str, list[T]] = {}
    rest: list[T] = []
    for item in items:
        name = group_of(item)
        if name is None:
            rest.append(item)
        else:
            groups.setdefault(name, []).append(item)
    if workers < 2 or len(groups) < 2:
        return items
    shares: list[int] = []
    left = len(items)
    for worker in range(workers):  # as xdist's worksteal scheduler deals them out
        shares.append(left // (workers - worker))
        left -= shares[-1]
    ordered: list[T] = []
    fronts = list(groups.values())
    for worker, share in enumerate(shares):
        mine = fronts[worker:] if worker == workers - 1 else fronts[worker : worker + 1]
        front = [item for group in mine for item in group]
        ordered += front
        ordered += rest[: max(0, share - len(front))]
        del rest[: max(0, share - len(front))]
    return ordered + rest


@pytest.fixture(scope="session")
def test_server_source() -> str:
    """Where this run's servers come from: env, docker or embedded."""
    return server_source()


@pytest.fixture(scope="session")
def postgres_admin_url(
    test_server_source: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An admin URL of the session's PostgreSQL server."""
    with postgres_server(test_server_source, tmp_path_factory.mktemp("postgres")) as url:
        yield url


def _with_database(url: str, database: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{database}"


DatabaseFactory = Callable[[], Awaitable[str]]


@pytest_asyncio.fixture
async def make_database(postgres_admin_url: str) -> AsyncIterator[DatabaseFactory]:
    """Creates fresh databases for one test; all are dropped afterwards."""
    async with _databases(postgres_admin_url) as create:
        yield create


@contextlib.asynccontextmanager
async def _databases(postgres_admin_url: str) -> AsyncIterator[DatabaseFactory]:
    created: list[str] = []

    async def create() -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        admin = await asyncpg.connect(postgres_admin_url)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        created.append(name)
        return _with_database(postgres_admin_url, name)

    yield create
    admin = await asyncpg.connect(postgres_admin_url)
    try:
        for name in created:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest_asyncio.fixture
async def database_url(make_database: DatabaseFactory) -> str:
    """A fresh database for one test."""
    return await make_database()


@pytest.fixture(scope="session")
def durable_postgres_admin_url(
    test_server_source: str, postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An admin URL of a PostgreSQL server that flushes its commits to the disk: the session's
    own when it is given (env, docker), else a second embedded one."""
    if test_server_source != "embedded":
        yield postgres_admin_url
        return
    folder = tmp_path_factory.mktemp("durable-postgres")
    with postgres_server(test_server_source, folder, durable=True) as url:
        yield url


@pytest_asyncio.fixture
async def durable_database_url(durable_postgres_admin_url: str) -> AsyncIterator[str]:
    """A fresh database for one test, on a server that flushes its commits to the disk."""
    async with _databases(durable_postgres_admin_url) as create:
        yield await create()


@pytest_asyncio.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh database with the event store's and relay's tables."""
    from tvers_runtime.testing.pipeline import service_pool  # noqa: PLC0415

    created = await service_pool(database_url)
    yield created
    await created.close()


@pytest_asyncio.fixture
async def event_store(pool: asyncpg.Pool) -> AsyncIterator[PostgresEventStore]:
    """A started PostgreSQL event store on a fresh database."""
    store = PostgresEventStore(pool)
    await store.start()
    yield store
    await store.close()


@pytest.fixture(scope="session")
def shared_nats_url(test_server_source: str) -> Iterator[str | None]:
    """The session's shared NATS URL, or None when each test gets its own embedded server."""
    with shared_nats_server(test_server_source) as url:
        yield url


async def _delete_all_streams(url: str) -> None:
    client = await nats.connect(url)
    try:
        manager = client.jsm()
        for stream in await manager.streams_info():
            if stream.config.name:
                await manager.delete_stream(stream.config.name)
    finally:
        await client.close()


@pytest_asyncio.fixture
async def nats_server(shared_nats_url: str | None, tmp_path: Path) -> AsyncIterator[NatsUnderTest]:
    """A NATS JetStream server for one test (see the module docstring)."""
    if shared_nats_url is not None:
        await _delete_all_streams(shared_nats_url)
        yield NatsUnderTest(shared_nats_url)
        return
    from tvers_runtime.embedded import EmbeddedNats  # noqa: PLC0415

    server = EmbeddedNats(tmp_path / "nats")
    server.start()
    try:
        yield NatsUnderTest(server.url, embedded=server)
    finally:
        server.stop()


@pytest_asyncio.fixture
async def access(nats_server: NatsUnderTest) -> AsyncIterator[NatsClient]:
    """The access service's side of the test's NATS: a client, with the ACCESS stream declared
    as its owner declares it (a subscribing service's subscribers start once it exists), to
    publish access's events (:mod:`tvers_runtime.testing.schedules`)."""
    from tvers_runtime.natsio import connect_nats  # noqa: PLC0415
    from tvers_runtime.relay.streams import ensure_stream  # noqa: PLC0415

    connected = await connect_nats(nats_server.url, name="tests-access")
    try:
        await ensure_stream(connected.jsm(), "access")
        yield connected
    finally:
        await connected.close()


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client to the test's ``app`` fixture (a service's app), running for the test."""
    from tvers_runtime.testing.http import running  # noqa: PLC0415

    async with running(app) as connected:
        yield connected


@pytest.fixture
def restartable_nats(nats_server: NatsUnderTest) -> NatsUnderTest:
    """The test's NATS server, which the test will stop or kill (skipped when shared)."""
    if not nats_server.restartable:
        pytest.skip("needs a NATS server the test owns (embedded)")
    return nats_server
