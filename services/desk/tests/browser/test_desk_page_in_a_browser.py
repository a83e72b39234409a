"""The desk page as a desk uses it, in a real browser on a phone's viewport: sign in with the
desk's code, record help in two taps, lose the connection and record one more (kept on the
phone, the page says one is waiting), get the connection back and see it sent: the service then
holds exactly one more ``HelpGiven``. axe-core finds no WCAG 2.1 A or AA violation on the
sign-in page (also with a refusal) and the page (in nynorsk and English), and the page does not
scroll sideways. Without a script, the form records and undoes all the same."""

import re

import asyncpg
import pytest
from playwright.async_api import BrowserContext, Page

from tvers_desk.testing.desk_page import access_code
from tvers_runtime.testing.browser import PHONE, assert_wcag_21_aa, chromium

pytestmark = [pytest.mark.servers, pytest.mark.browser]
#: The page again after a record was sent (by the form, or by the page's script).
RECORDED = re.compile(r"/desk\?done=recorded(#recent)?$")


async def help_given(database_url: str) -> list[str]:
    """The category of every HelpGiven the service has stored, in order."""
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT payload->>'category_id' AS category FROM events "
            "WHERE event_type = 'HelpGiven' ORDER BY global_position"
        )
    finally:
        await connection.close()
    return [row["category"] for row in rows]


async def assert_no_sideways_scrolling(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    wider = await page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1"
        " && getComputedStyle(e).overflowX === 'visible').map(e => e.outerHTML.slice(0, 80))"
    )
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide: {wider}"


async def sign_in(page: Page, desk_url: str) -> None:
    await page.goto(f"{desk_url}/desk")
    await page.get_by_label("Tilgangskode").fill(access_code(site_id="skodje"))
    await page.get_by_role("button", name="Logg inn").click()
    await page.get_by_role("heading", name="Registrer hjelp").wait_for()


async def test_help_recorded_online_and_offline_is_stored_once_each(
    phone: BrowserContext, desk_url: str, database_url: str
) -> None:
    page = await phone.new_page()
    await sign_in(page, desk_url)
    await page.get_by_label("Bibliotek", exact=True).check()
    # Two taps: a category, then a duration band.
    await page.get_by_label("Utskrift og skanning").check()
    await page.get_by_role("button", name="Under 5 min").click()
    await page.wait_for_url(RECORDED)
    assert await help_given(database_url) == ["printing-scanning"]
    recent = page.locator("#recent li")
    assert await recent.count() == 1
    assert await recent.get_by_role("button", name="Angre").count() == 1

    await phone.set_offline(True)
    await page.get_by_label("Digital hjelp").check()
    await page.get_by_role("button", name="5–15 min").click()  # noqa: RUF001
    status = page.locator("#offline-status")
    await status.get_by_text("Éi registrering er lagra på denne eininga").wait_for()
    assert await page.evaluate("localStorage.getItem('tvers-desk-queue:skodje')") != "[]"
    assert await help_given(database_url) == ["printing-scanning"]

    # Back online, the script sends what waits, then shows the page again with it recorded.
    async with page.expect_navigation(url=RECORDED):
        await phone.set_offline(False)
    assert await page.evaluate("localStorage.getItem('tvers-desk-queue:skodje')") == "[]"
    assert await help_given(database_url) == ["printing-scanning", "digital-help"]
    assert await page.locator("#recent li").count() == 2
    # The department chosen once is still chosen.
    assert await page.get_by_label("Bibliotek", exact=True).is_checked()


async def test_the_pages_pass_axe_on_a_phone(phone: BrowserContext, desk_url: str) -> None:
    page = await phone.new_page()
    await page.goto(f"{desk_url}/desk")
    await assert_wcag_21_aa(page)
    await page.get_by_label("Tilgangskode").fill("not-a-code")
    await page.get_by_role("button", name="Logg inn").click()
    await page.get_by_role("alert").wait_for()
    await assert_wcag_21_aa(page)
    await sign_in(page, desk_url)
    await assert_no_sideways_scrolling(page)
    await assert_wcag_21_aa(page)
    await page.get_by_label("Innbyggarservice", exact=True).check()
    await page.get_by_label("Skjema og søknader").check()
    await page.get_by_label("Vist vidare til ei anna avdeling?").select_option("library")
    await page.get_by_role("button", name="Over 15 min").click()
    await page.wait_for_url(RECORDED)
    await assert_no_sideways_scrolling(page)
    await assert_wcag_21_aa(page)
    await page.goto(f"{desk_url}/desk?lang=en")
    await page.get_by_role("heading", name="Record help").wait_for()
    await assert_no_sideways_scrolling(page)
    await assert_wcag_21_aa(page)


async def test_the_form_records_without_a_script(desk_url: str, database_url: str) -> None:
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE, java_script_enabled=False)
        page = await context.new_page()
        await sign_in(page, desk_url)
        await page.get_by_label("Frivilligsentral", exact=True).check()
        await page.get_by_label("Frivilligarbeid og aktivitetar").check()
        await page.get_by_label("Telefon").check()
        await page.get_by_role("button", name="Under 5 min").click()
        await page.wait_for_url(RECORDED)
        await page.get_by_text("Registrert. Takk!").wait_for()
        assert await help_given(database_url) == ["volunteering-activities"]
        await page.get_by_role("button", name="Angre").click()
        await page.get_by_text("Registreringa er angra").wait_for()
        await context.close()
