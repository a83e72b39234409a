"""Browser tests drive Debian's Chromium (``/usr/bin/chromium``) through Playwright's async API.

Playwright's own browser download does not work on the machines here; ``.ci/run`` installs
Debian's ``chromium`` when it is missing, and a test without it is skipped. The browser is
started per test, on the test's own event loop: pytest-playwright's sync fixtures keep a loop
running for the whole session, which pytest-asyncio's fixtures refuse, and
pytest-playwright-asyncio needs every fixture of the run on one session-wide loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, ViewportSize, async_playwright

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
#: A phone's viewport, as the pages are made for.
PHONE: ViewportSize = {"width": 390, "height": 844}
#: axe-core's rules of WCAG 2.1 levels A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """The machine's Chromium, headless (the test is skipped where it is not installed)."""
    if not CHROMIUM_INSTALLED:
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            await browser.close()


async def assert_wcag_21_aa(page: Page) -> None:
    """axe-core finds no violation of WCAG 2.1 A or AA on the page as it stands."""
    results = await Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, results.generate_report()
