"""The service roles' sessions are bounded on the whole server: a transaction held open past
``transaction_timeout``, or left idle past ``idle_in_transaction_session_timeout``, is ended by
the server; a migration, the one legitimately long transaction, lifts the limit for itself."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio

from tvers_runtime.db.migrations import MigrationSource, apply_migrations
from tvers_runtime.db.setup import limit_role_transactions
from tvers_runtime.testing.plugin import DatabaseFactory

pytestmark = [pytest.mark.servers]
_SESSION_ENDED = (asyncpg.PostgresError, asyncpg.InterfaceError, ConnectionError)


@pytest_asyncio.fixture
async def role(postgres_admin_url: str) -> AsyncIterator[str]:
    """A login role of its own (a service's stand-in), dropped afterwards."""
    name = f"r_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_admin_url)
    try:
        await admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'secret'")
        yield name
        await admin.execute(f"DROP OWNED BY {name}")
        await admin.execute(f"DROP ROLE {name}")
    finally:
        await admin.close()


async def connect_as(
    role: str, postgres_admin_url: str, make_database: DatabaseFactory, **limits: str
) -> asyncpg.Connection:
    """A session of ``role`` (limited by ``limits``) in a database it owns."""
    database_url = await make_database()
    admin = await asyncpg.connect(postgres_admin_url)
    try:
        await limit_role_transactions(admin, role, **limits)
        database = urlsplit(database_url).path.lstrip("/")
        await admin.execute(f'ALTER DATABASE "{database}" OWNER TO {role}')
    finally:
        await admin.close()
    parts = urlsplit(database_url)
    netloc = f"{role}:secret@{parts.hostname}:{parts.port}"
    return await asyncpg.connect(urlunsplit((parts.scheme, netloc, parts.path, "", "")))


async def test_a_service_roles_transaction_held_open_past_its_limit_is_ended(
    role: str, postgres_admin_url: str, make_database: DatabaseFactory
) -> None:
    session = await connect_as(role, postgres_admin_url, make_database, total="1s")
    transaction = session.transaction()
    await transaction.start()
    await session.execute("CREATE TABLE held (n int)")  # holds a transaction id
    with pytest.raises(_SESSION_ENDED):
        await session.execute("SELECT pg_sleep(10)")
    assert session.is_closed() or not await alive(session)


async def test_a_service_roles_session_left_idle_in_a_transaction_is_ended(
    role: str, postgres_admin_url: str, make_database: DatabaseFactory
) -> None:
    session = await connect_as(role, postgres_admin_url, make_database, idle="1s")
    transaction = session.transaction()
    await transaction.start()
    await session.execute("CREATE TABLE forgotten (n int)")
    await asyncio.sleep(3)  # idle inside the transaction, past the limit
    assert not await alive(session)


async def test_a_migration_may_take_longer_than_the_roles_transaction_limit(
    role: str, postgres_admin_url: str, make_database: DatabaseFactory, tmp_path: Path
) -> None:
    (tmp_path / "0001_slow.sql").write_text("SELECT pg_sleep(2); CREATE TABLE slow (n int);")
    session = await connect_as(role, postgres_admin_url, make_database, total="1s")
    try:
        await apply_migrations(session, [MigrationSource("slow", tmp_path)])
        assert await session.fetchval("SELECT to_regclass('slow') IS NOT NULL")
    finally:
        await session.close()


async def alive(session: asyncpg.Connection) -> bool:
    try:
        await session.fetchval("SELECT 1")
    except _SESSION_ENDED:
        return False
    return True
