"""The shift index on a real PostgreSQL: its notes, written before the events that make them
true, do not wait for the disk (the event's durable commit flushes them with its own)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import pytest

from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.pool import create_pool
from tvers_volunteers.adapters.shift_index import MIGRATIONS, IndexedShift, PostgresShiftIndex

pytestmark = pytest.mark.servers
#: This connection's own flushes of the WAL to the disk (PostgreSQL 18's per-backend I/O).
WAL_FLUSHES = """
    SELECT coalesce(sum(fsyncs), 0)::bigint FROM pg_stat_get_backend_io(pg_backend_pid())
    WHERE object = 'wal'
"""


@pytest.fixture
async def pool(durable_database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool of one connection with the index's tables, so that the flushes counted are the
    notes', on a server that flushes its commits (the tests' usual one does not)."""
    one = await create_pool(durable_database_url, application_name="tests", min_size=1, max_size=1)
    async with one.acquire() as connection:
        await apply_migrations(connection, [MIGRATIONS])
    yield one
    await one.close()


async def wal_flushes(pool: asyncpg.Pool) -> int:
    async with pool.acquire() as connection:
        await connection.execute("SELECT pg_stat_force_next_flush()")
        await connection.execute("SELECT 1")  # the statistics are reported between statements
        flushes: int = await connection.fetchval(WAL_FLUSHES)
        return flushes


async def test_notes_of_shifts_and_volunteers_are_found_without_waiting_for_the_disk(
    pool: asyncpg.Pool,
) -> None:
    index = PostgresShiftIndex(pool)
    starts = datetime.now(UTC) + timedelta(days=1)
    shift = IndexedShift(uuid4(), "skodje", starts, starts + timedelta(hours=2))
    volunteer_id = uuid4()
    before = await wal_flushes(pool)
    await index.note_shift("1508", shift)
    await index.note_volunteer(volunteer_id, shift.shift_id)
    assert await wal_flushes(pool) == before
    assert await index.between("1508", starts, starts + timedelta(hours=1)) == [shift]
    assert await index.of_volunteer(volunteer_id, starts, starts + timedelta(hours=1)) == [shift]
    async with pool.acquire() as connection:  # while an ordinary commit does wait for the disk
        await connection.execute("CREATE TABLE flushed (n int); INSERT INTO flushed VALUES (1)")
    assert await wal_flushes(pool) > before
