"""Browser tests drive Debian's Chromium (``/usr/bin/chromium``) through Playwright's async API
(:mod:`tvers_runtime.testing.browser`), against the desk app served by uvicorn on a free port,
on a real PostgreSQL and NATS."""

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from playwright.async_api import BrowserContext

from tvers_desk.bootstrap import build_app
from tvers_desk.settings import DeskSettings
from tvers_runtime.testing.browser import PHONE, chromium
from tvers_runtime.testing.http import service_settings, serving
from tvers_runtime.testing.servers import NatsUnderTest


@pytest_asyncio.fixture
async def phone() -> AsyncIterator[BrowserContext]:
    """A phone-sized browser context in the machine's Chromium (its network can be cut)."""
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE)
        context.set_default_timeout(10_000)
        yield context
        await context.close()


@pytest.fixture
def desk_url(database_url: str, nats_server: NatsUnderTest) -> Iterator[str]:
    """The desk service, served on a free port for the browser."""
    app = build_app(service_settings(DeskSettings, database_url, nats_server.url))
    with serving(app) as url:
        yield url
