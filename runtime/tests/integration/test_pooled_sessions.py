"""A pooled connection goes back to the pool without a reset query, so a request pays no extra
round trip; one that took session state (a session advisory lock) is reset when it comes back,
so a lock its holder failed to release does not outlive the holder's use of the connection."""

from collections.abc import AsyncIterator

import asyncpg
import pytest

from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.pool import create_pool, keeps_session_state
from tvers_runtime.idempotency import MIGRATIONS, KeyClaim, PostgresIdempotencyKeys

pytestmark = pytest.mark.servers

LOCK = "pooled-sessions-test"


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool of one connection, so that each acquire gets the connection the last one left."""
    one = await create_pool(database_url, application_name="tests", min_size=1, max_size=1)
    yield one
    await one.close()


async def lock_is_free(url: str) -> bool:
    other = await asyncpg.connect(url)
    try:
        if not await other.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", LOCK):
            return False
        await other.execute("SELECT pg_advisory_unlock(hashtext($1))", LOCK)
        return True
    finally:
        await other.close()


async def test_a_session_lock_left_on_a_marked_connection_is_released_with_it(
    pool: asyncpg.Pool, database_url: str
) -> None:
    async with pool.acquire() as connection:
        keeps_session_state(connection)
        assert await connection.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", LOCK)
        # released without unlocking, as a holder cancelled in its cleanup would
    assert await lock_is_free(database_url)


async def test_an_unmarked_connection_comes_back_as_it_was_left(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as connection:
        await connection.execute("SET application_name = 'left-as-it-was'")
        pid = connection.get_server_pid()
    async with pool.acquire() as connection:
        assert connection.get_server_pid() == pid
        assert await connection.fetchval("SHOW application_name") == "left-as-it-was"


async def test_a_transaction_left_open_is_rolled_back_when_the_connection_comes_back(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as connection:
        await connection.execute("CREATE TABLE left_open (n int)")
        await connection.execute("BEGIN")
        await connection.execute("INSERT INTO left_open VALUES (1)")
    async with pool.acquire() as connection:
        assert await connection.fetchval("SELECT count(*) FROM left_open") == 0


async def test_an_idempotency_claim_leaves_synchronous_commit_on_for_the_next_statement(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as connection:
        await apply_migrations(connection, [MIGRATIONS])
        pid = connection.get_server_pid()
    keys = PostgresIdempotencyKeys(pool)
    claimed = await keys.claim(tenant="1508", principal="p", key="k-1", fingerprint="f")
    repeat = await keys.claim(tenant="1508", principal="p", key="k-1", fingerprint="f")
    assert (claimed, repeat) == (KeyClaim.FIRST, KeyClaim.REPEAT)
    async with pool.acquire() as connection:
        assert connection.get_server_pid() == pid  # the very connection that claimed
        assert await connection.fetchval("SHOW synchronous_commit") == "on"
        async with connection.transaction():
            await connection.execute("CREATE TABLE after_claim (n int)")
            assert await connection.fetchval("SHOW synchronous_commit") == "on"
