"""Issue 11 end to end, in a real browser against ``tvers up``: help recorded on the desk's page
at Harøy shows in the reporting service's desk figures, and so does a record made while the page
was offline, counted exactly once; axe-core finds no WCAG 2.1 AA violation on the desk's page."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from tvers_runtime.auth import Role
from tvers_runtime.testing.browser import PHONE, assert_wcag_21_aa, chromium

pytestmark = [
    pytest.mark.servers,
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.xdist_group("e2e"),
]
SITE = "haroy"


def desk_figures(tvers: Any) -> list[dict[str, Any]]:
    """The desk's demand at the site, as the reporting service counts it."""
    with tvers.client() as http:
        response = http.get(
            f"{tvers.url('reporting')}/api/desk/demand?site={SITE}",
            headers=tvers.token(Role.VIEWER),
        )
    assert response.is_success, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def counted(tvers: Any) -> dict[str, int]:
    """Help counted per category at the site."""
    totals: dict[str, int] = {}
    for row in desk_figures(tvers):
        totals[row["category_id"]] = totals.get(row["category_id"], 0) + row["helped"]
    return totals


def wait_until_counted(tvers: Any, expected: dict[str, int]) -> dict[str, int]:
    deadline = time.monotonic() + 60
    while (seen := counted(tvers)) != expected:
        assert time.monotonic() < deadline, f"reporting counts {seen}, not {expected}"
        time.sleep(0.3)
    return seen


async def test_help_recorded_on_the_page_online_and_offline_reaches_the_reporting_panel_once(
    running_tvers: Any,
) -> None:
    tvers = running_tvers
    desk = tvers.url("desk")
    code = tvers.token(Role.DESK, site_id=SITE)["Authorization"].removeprefix("Bearer ")
    async with chromium() as browser:
        phone = await browser.new_context(viewport=PHONE)
        page = await phone.new_page()
        page.set_default_timeout(20_000)
        await page.goto(f"{desk}/desk")
        await page.get_by_label("Tilgangskode").fill(code)
        await page.get_by_role("button", name="Logg inn").click()
        await page.get_by_role("heading", name="Registrer hjelp").wait_for()
        await assert_wcag_21_aa(page)

        await page.get_by_label("Innbyggarservice", exact=True).check()
        await page.get_by_label("Utskrift og skanning").check()
        await page.get_by_role("button", name="Under 5 min").click()
        await page.wait_for_url("**/desk?done=recorded**")
        await asyncio.to_thread(wait_until_counted, tvers, {"printing-scanning": 1})

        await phone.set_offline(True)
        await page.get_by_label("Digital hjelp").check()
        await page.get_by_role("button", name="Under 5 min").click()
        await page.locator("#offline-status").get_by_text("Éi registrering").wait_for()
        async with page.expect_navigation(url="**/desk?done=recorded**"):
            await phone.set_offline(False)
        await assert_wcag_21_aa(page)
        await phone.close()
    # The offline record arrives once; a while later it is still counted once.
    expected = {"printing-scanning": 1, "digital-help": 1}
    await asyncio.to_thread(wait_until_counted, tvers, expected)
    await asyncio.sleep(2)
    assert await asyncio.to_thread(counted, tvers) == expected
