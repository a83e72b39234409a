"""The self-service page as a volunteer meets it, in a real browser on a phone-sized screen: they
open their personal link, sign in, claim an open shift, see it among their own, and check in
when its window opens; axe-core finds no WCAG 2.1 A or AA violation on the page, in nynorsk and
in English. And the page works with JavaScript turned off."""

from datetime import timedelta

import asyncpg
import httpx
import pytest
from playwright.async_api import Browser, Page

from tvers_runtime.known_branches import remember_branch
from tvers_runtime.testing.browser import PHONE, assert_wcag_21_aa
from tvers_runtime.testing.clocks import SteppedClock
from tvers_volunteers.testing.page import sign_in_link
from tvers_volunteers.testing.people import REGISTRATION, eligible_volunteer
from tvers_volunteers.testing.shifts import publish_shift

pytestmark = [pytest.mark.servers, pytest.mark.browser]


async def a_volunteer_with_open_shifts(
    url: str, database_url: str, clock: SteppedClock
) -> tuple[str, list[str]]:
    """A branch, two open shifts tomorrow and the day after, and an eligible volunteer; their
    sign-in link (path and query) and the shifts' ids."""
    connection = await asyncpg.connect(database_url)
    try:
        await remember_branch(
            connection, tenant="1508", branch_id="skodje", name="Skodje bibliotek"
        )
    finally:
        await connection.close()
    async with httpx.AsyncClient(base_url=url) as client:
        shifts = [await publish_shift(client, clock.now + timedelta(days=days)) for days in (1, 2)]
        volunteer_id, _ = await eligible_volunteer(client)
        return await sign_in_link(client, volunteer_id), shifts


async def sign_in(page: Page, url: str, link: str) -> None:
    await page.goto(f"{url}{link}")
    await page.get_by_role("button", name="Logg inn").click()
    await page.wait_for_url(f"{url}/me")


async def assert_fits_the_phone(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide"


async def test_a_volunteer_claims_a_shift_and_checks_in_on_a_phone(
    browser: Browser, volunteers_url: str, database_url: str, clock: SteppedClock
) -> None:
    link, (tomorrow, _) = await a_volunteer_with_open_shifts(volunteers_url, database_url, clock)
    page = await browser.new_page(viewport=PHONE)
    page.set_default_timeout(10_000)

    await page.goto(f"{volunteers_url}{link}")
    await assert_wcag_21_aa(page)
    await page.get_by_role("button", name="Logg inn").click()
    await page.wait_for_url(f"{volunteers_url}/me")
    await page.get_by_role("heading", name=f"Hei, {REGISTRATION['name']}!").wait_for()
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)

    open_shift = page.locator(f"#open #shift-{tomorrow}")
    await open_shift.get_by_role("button", name="Ta vakta").click()
    await page.get_by_role("status").get_by_text("Du har fått vakta. Takk!").wait_for()
    mine = page.locator(f"#mine #shift-{tomorrow}")
    assert await mine.get_by_text("Du har denne vakta.").is_visible()
    assert await page.locator(f"#open #shift-{tomorrow}").count() == 0
    await assert_wcag_21_aa(page)

    clock.now = clock.now + timedelta(days=1, minutes=-10)  # ten minutes before it starts
    await page.goto(f"{volunteers_url}/me")
    await mine.get_by_role("button", name="Sjekk inn").click()
    await page.get_by_role("status").get_by_text("Du er sjekka inn. God vakt!").wait_for()
    assert await mine.get_by_text("Du sjekka inn klokka").is_visible()
    assert await mine.get_by_role("button", name="Sjekk ut").is_visible()
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)

    await page.get_by_role("link", name="English").click()
    await page.get_by_role("heading", name="My shifts").wait_for()
    assert await page.get_attribute("html", "lang") == "en"
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)
    await page.get_by_role("link", name="Erase my data").click()
    await page.get_by_role("heading", name="Erase my data").wait_for()
    await assert_wcag_21_aa(page)


async def test_the_page_works_without_javascript(
    browser: Browser, volunteers_url: str, database_url: str, clock: SteppedClock
) -> None:
    link, (_, later) = await a_volunteer_with_open_shifts(volunteers_url, database_url, clock)
    context = await browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await sign_in(page, volunteers_url, link)
    await page.locator(f"#open #shift-{later}").get_by_role("button", name="Ta vakta").click()
    await page.locator(f"#mine #shift-{later}").get_by_text("Du har denne vakta.").wait_for()
    await (
        page.locator(f"#mine #shift-{later}")
        .get_by_role("button", name="Gje frå meg vakta")
        .click()
    )
    await page.get_by_role("status").get_by_text("Du har gjeve frå deg vakta.").wait_for()
    assert await page.locator(f"#mine #shift-{later}").count() == 0
