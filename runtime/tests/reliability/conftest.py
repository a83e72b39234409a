from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio

from tvers_runtime.testing.pipeline import Pipeline, close_pipeline, open_pipeline
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = [pytest.mark.servers, pytest.mark.slow]


@pytest_asyncio.fixture
async def pipeline(
    make_database: Callable[[], Awaitable[str]], nats_server: NatsUnderTest
) -> AsyncIterator[Pipeline]:
    pipe = await open_pipeline(await make_database(), await make_database(), nats_server.url)
    yield pipe
    await close_pipeline(pipe)
