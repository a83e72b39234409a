"""The school page as a teacher meets it, in a real browser on a phone-sized screen: they sign in
with their access code, choose one of the free times offered for a class, book it and see the
class's visit booked; axe-core finds no WCAG 2.1 A or AA violation on the sign-in page (also
with a refusal on it) and on the teacher's page, in nynorsk and in English. And the page works
with JavaScript turned off."""

from datetime import datetime

import asyncpg
import httpx
import pytest
from playwright.async_api import Browser, Page

from tvers_runtime.testing.browser import PHONE, assert_wcag_21_aa
from tvers_visits.testing.school_page import PAGE, access_code
from tvers_visits.testing.town import (
    STAFF,
    TWO_SECOND_GRADES,
    learn_branches_and_hours,
    register_schools,
)

pytestmark = [pytest.mark.servers, pytest.mark.browser]
YEAR = "2026-2027"
BRANCH = "alesund-sentrum"
TEACHER = access_code(school_id="aspoy-skule")


async def a_town(url: str, database_url: str) -> None:
    """Two schools with two 2nd-grade classes each, at a branch staffed 09-15 on weekdays."""
    connection = await asyncpg.connect(database_url)
    try:
        await learn_branches_and_hours(connection, BRANCH, ())
    finally:
        await connection.close()
    async with httpx.AsyncClient(base_url=url) as client:
        schools = dict.fromkeys(("aspoy-skule", "hessa-skule"), TWO_SECOND_GRADES)
        await register_schools(client, school_year=YEAR, schools=schools, branch_id=BRANCH)


async def sign_in(page: Page, url: str, code: str) -> None:
    await page.goto(f"{url}{PAGE}")
    await page.get_by_label("Tilgangskode").fill(code)
    await page.get_by_role("button", name="Logg inn").click()


async def assert_fits_the_phone(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide"


async def booked_visits(url: str) -> list[dict[str, object]]:
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.get(
            f"/school-years/{YEAR}/class-visits?school_id=aspoy-skule", headers=STAFF
        )
    assert response.status_code == 200, response.text
    found: list[dict[str, object]] = response.json()
    return found


async def test_a_teacher_books_a_free_time_and_sees_it_booked_on_a_phone(
    browser: Browser, visits_url: str, database_url: str
) -> None:
    await a_town(visits_url, database_url)
    page = await browser.new_page(viewport=PHONE)
    page.set_default_timeout(10_000)

    await page.goto(f"{visits_url}{PAGE}")
    await page.get_by_role("heading", name="Logg inn").wait_for()
    await assert_wcag_21_aa(page)
    await sign_in(page, visits_url, "ikkje-ein-kode")
    await page.get_by_role("alert").get_by_text("Tilgangskoden er ikkje gyldig").wait_for()
    await assert_wcag_21_aa(page)

    await sign_in(page, visits_url, TEACHER)
    await page.wait_for_url(f"{visits_url}{PAGE}")
    await page.get_by_role("heading", name="Aspoy Skule").wait_for()
    two_a = page.locator("#class-2A")
    assert await two_a.get_by_text("Ikkje bestilt enno.").is_visible()
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)

    times = two_a.get_by_label("Ledige tider på Alesund Sentrum")
    offered = await times.locator("option").evaluate_all("options => options.map(o => o.value)")
    chosen = offered[3]  # the placeholder first, then the free times
    await times.select_option(chosen)
    await two_a.get_by_role("button", name="Bestill besøket").click()
    await page.get_by_role("status").get_by_text("Besøket er bestilt.").wait_for()
    assert await two_a.get_by_text("Bestilt:").is_visible()
    assert await two_a.get_by_role("button", name="Avbestill besøket").is_visible()
    assert await two_a.locator("select[name=starts_at]").count() == 0
    [visit] = await booked_visits(visits_url)
    assert (visit["class_label"], visit["status"]) == ("2A", "booked")
    assert datetime.fromisoformat(str(visit["starts_at"])) == datetime.fromisoformat(chosen)
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)

    await page.get_by_role("link", name="English").click()
    await page.get_by_role("heading", name="The classes").wait_for()
    assert await page.get_attribute("html", "lang") == "en"
    assert await two_a.get_by_text("Booked:").is_visible()
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)


async def test_the_page_works_without_javascript(
    browser: Browser, visits_url: str, database_url: str
) -> None:
    await a_town(visits_url, database_url)
    context = await browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await sign_in(page, visits_url, TEACHER)
    await page.wait_for_url(f"{visits_url}{PAGE}")
    two_b = page.locator("#class-2B")
    times = two_b.locator("select[name=starts_at]")
    await times.select_option(index=1)
    await two_b.get_by_role("button", name="Bestill besøket").click()
    await two_b.get_by_text("Bestilt:").wait_for()
    await page.get_by_role("button", name="Logg ut").click()
    await page.get_by_role("heading", name="Du er logga ut").wait_for()
    await context.close()
