"""Browser tests drive Debian's Chromium (``/usr/bin/chromium``) through Playwright's async API,
against the reporting app served by uvicorn on a free port, on a real PostgreSQL and NATS.

Playwright's own browser download does not work on the machines here; ``.ci/run`` installs
Debian's ``chromium`` when it is missing. The browser is started per test by the fixture below,
on the test's own event loop: pytest-playwright's sync fixtures keep a loop running for the whole
session, which pytest-asyncio's fixtures refuse, and pytest-playwright-asyncio needs every fixture
of the run on one session-wide loop.
"""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Page, async_playwright

from tvers_reporting.bootstrap import build_app
from tvers_reporting.settings import ReportingSettings
from tvers_runtime.testing.http import service_settings, serving
from tvers_runtime.testing.servers import NatsUnderTest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_INSTALLED = CHROMIUM.exists()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest_asyncio.fixture
async def page() -> AsyncIterator[Page]:
    """A page in the machine's Chromium (not a browser Playwright downloads)."""
    if not CHROMIUM_INSTALLED:
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = await browser.new_page()
            page.set_default_timeout(10_000)
            yield page
        finally:
            await browser.close()


@pytest.fixture
def reporting_url(database_url: str, nats_server: NatsUnderTest) -> Iterator[str]:
    """The reporting service, served on a free port for the browser."""
    app = build_app(service_settings(ReportingSettings, database_url, nats_server.url))
    with serving(app) as url:
        yield url
