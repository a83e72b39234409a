"""The visits service served by uvicorn on a free port, for a real browser (Debian's Chromium
through Playwright, :mod:`tvers_runtime.testing.browser`), on a real PostgreSQL and NATS, with
its clock standing in the autumn term, and the streams its subscribers read made before it starts
(so that the resource bank's list follows the pages written)."""

from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from tvers_contracts.schedule import OSLO
from tvers_runtime.testing.browser import chromium
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import service_settings, serving
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_visits.bootstrap import build_app
from tvers_visits.settings import VisitsSettings
from tvers_visits.testing.resources import streams_exist

#: A Thursday in October 2026, school year 2026-2027.
NOW = datetime(2026, 10, 1, 10, 0, tzinfo=OSLO)


@pytest.fixture
def clock() -> SteppedClock:
    """The service's clock, moved by the test only."""
    return SteppedClock(NOW)


@pytest_asyncio.fixture
async def streams(nats_server: NatsUnderTest) -> None:
    """The streams the service's subscribers read, as their owners would make them."""
    await streams_exist(nats_server.url)


@pytest.fixture
def visits_url(
    database_url: str, nats_server: NatsUnderTest, clock: SteppedClock, streams: None
) -> Iterator[str]:
    """The visits service, served on a free port for the browser."""
    settings = service_settings(VisitsSettings, database_url, nats_server.url)
    with serving(build_app(settings, clock=clock)) as url:
        yield url


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    """The machine's Chromium (not a browser Playwright downloads)."""
    async with chromium() as started:
        yield started
