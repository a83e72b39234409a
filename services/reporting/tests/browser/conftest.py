"""Browser tests drive Debian's Chromium (``/usr/bin/chromium``) through Playwright's async API
(:mod:`tvers_runtime.testing.browser`), against the reporting app served by uvicorn on a free
port, on a real PostgreSQL and NATS."""

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from playwright.async_api import Page

from tvers_reporting.bootstrap import build_app
from tvers_reporting.settings import ReportingSettings
from tvers_runtime.testing.browser import chromium
from tvers_runtime.testing.http import service_settings, serving
from tvers_runtime.testing.servers import NatsUnderTest


@pytest_asyncio.fixture
async def page() -> AsyncIterator[Page]:
    """A page in the machine's Chromium (not a browser Playwright downloads)."""
    async with chromium() as browser:
        page = await browser.new_page()
        page.set_default_timeout(10_000)
        yield page


@pytest.fixture
def reporting_url(database_url: str, nats_server: NatsUnderTest) -> Iterator[str]:
    """The reporting service, served on a free port for the browser."""
    app = build_app(service_settings(ReportingSettings, database_url, nats_server.url))
    with serving(app) as url:
        yield url
