"""The volunteers service served by uvicorn on a free port, for a real browser (Debian's
Chromium through Playwright, :mod:`tvers_runtime.testing.browser`), on a real PostgreSQL and
NATS, with a clock the test moves."""

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from tvers_runtime.testing.browser import chromium
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import serving
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.bootstrap import build_app
from tvers_volunteers.testing.settings import volunteers_settings


@pytest.fixture
def clock() -> SteppedClock:
    """The service's clock: now when the test starts, and moved by the test only."""
    return SteppedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def volunteers_url(
    database_url: str, nats_server: NatsUnderTest, clock: SteppedClock
) -> Iterator[str]:
    """The volunteers service, served on a free port for the browser."""
    app = build_app(volunteers_settings(database_url, nats_server.url), clock=clock)
    with serving(app) as url:
        yield url


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    """The machine's Chromium (not a browser Playwright downloads)."""
    async with chromium() as started:
        yield started
