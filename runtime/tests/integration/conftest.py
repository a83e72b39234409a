from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.pool import create_pool
from tvers_runtime.eventstore import MIGRATIONS, PostgresEventStore

pytestmark = pytest.mark.servers


@pytest_asyncio.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url, application_name="tests", max_size=20)
    async with pool.acquire() as connection:
        await apply_migrations(connection, [MIGRATIONS])
    yield pool
    await pool.close()


@pytest_asyncio.fixture
async def event_store(pool: asyncpg.Pool) -> AsyncIterator[PostgresEventStore]:
    store = PostgresEventStore(pool)
    await store.start()
    yield store
    await store.close()
