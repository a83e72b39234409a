"""The school's pages as a teacher and a school librarian meet them, in a real browser on a
phone-sized screen: a teacher signs in with their access code, chooses one of the free times
offered for a class, books it and sees the class's visit booked; a school librarian orders a book
deposit and sees it requested, writes a page of the resource bank, reads it, finds it in the list
and by a search. axe-core finds no WCAG 2.1 A or AA violation on the sign-in page (also with a
refusal on it), the teacher's page, the deposits, the resource bank's list, a search, a page, its
history and the editor, in nynorsk and in English. And the pages work with JavaScript turned
off."""

from datetime import datetime

import asyncpg
import httpx
import pytest
from playwright.async_api import Browser, Page

from tvers_runtime.auth import Role
from tvers_runtime.testing.browser import PHONE, assert_wcag_21_aa
from tvers_runtime.testing.pipeline import eventually
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
LIBRARIAN = access_code(Role.SCHOOL_LIBRARIAN, school_id="aspoy-skule")
MARKDOWN = """## Før besøket

Kontaktlæraren sender **samtykkeskjemaet** heim tre veker før.

- Eitt skjema gjev eitt lånekort.
- Lånekortet gjeld på alle filialane.

Les meir på [biblioteket si side](https://example.org/lanekort).
"""


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


async def test_a_school_librarian_orders_a_deposit_and_writes_in_the_resource_bank(
    browser: Browser, visits_url: str, database_url: str
) -> None:
    await a_town(visits_url, database_url)
    page = await browser.new_page(viewport=PHONE)
    page.set_default_timeout(10_000)
    await sign_in(page, visits_url, LIBRARIAN)
    await page.wait_for_url(f"{visits_url}{PAGE}")
    nav = page.get_by_role("navigation", name="Sidene til skulen")

    await nav.get_by_role("link", name="Depotlån").click()
    await page.get_by_role("heading", name="Depotlån", level=1).wait_for()
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)
    await page.get_by_label("Kven bøkene er til").select_option("2A")
    await page.get_by_label("Tema").fill("Dinosaurar")
    await page.get_by_label("Om lag kor mange bøker").fill("25")
    await page.get_by_label("Ønskt leveringsdato").fill("2026-10-15")
    await page.get_by_role("button", name="Bestill depotlånet").click()
    await page.get_by_role("status").get_by_text("Depotlånet er bestilt.").wait_for()
    ordered = page.locator(".deposit", has_text="Dinosaurar")
    assert await ordered.get_by_text("Status: bestilt.").is_visible()
    assert await ordered.get_by_role("button", name="Avbestill depotlånet").is_visible()
    [deposit] = await school_deposits(visits_url)
    assert (deposit["class_label"], deposit["status"]) == ("2A", "requested")
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)

    await nav.get_by_role("link", name="Ressursbanken").click()
    await page.get_by_role("link", name="Skriv ei ny side").click()
    await page.get_by_role("heading", name="Skriv ei ny side").wait_for()
    await assert_wcag_21_aa(page)
    await page.get_by_label("Kva sida handlar om").select_option("class_visit_programmes")
    await page.get_by_label("Tittel").fill("Lånekort for 2. trinn")
    await page.get_by_label("Tekst").fill(MARKDOWN)
    await page.get_by_role("button", name="Lagre sida").click()
    await page.get_by_role("heading", name="Lånekort for 2. trinn", level=1).wait_for()
    assert await page.get_by_role("heading", name="Før besøket", level=3).is_visible()
    assert await page.get_by_role("status").get_by_text("Sida er lagra.").is_visible()
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)
    await page.get_by_role("link", name="Historikken til sida").click()
    await page.get_by_text("Versjon 1, lagra av ein skulebibliotekar").wait_for()
    await assert_wcag_21_aa(page)

    async def listed() -> bool:
        await page.goto(f"{visits_url}{PAGE}/resources")
        return await page.get_by_role("link", name="Lånekort for 2. trinn").count() == 1

    await eventually(listed)
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)
    await page.get_by_label("Søk i ressursbanken").fill("lånekorta")
    await page.get_by_role("button", name="Søk", exact=True).click()
    found = page.locator("#found")
    await found.get_by_role("link", name="Lånekort for 2. trinn").wait_for()
    assert await found.locator("mark").count() > 0
    await assert_wcag_21_aa(page)

    await found.get_by_role("link", name="Lånekort for 2. trinn").click()
    await page.get_by_role("link", name="Endre sida").click()
    await page.get_by_role("heading", name="Endre sida «Lånekort for 2. trinn»").wait_for()
    assert await page.get_by_label("Tekst").input_value() == MARKDOWN
    await assert_wcag_21_aa(page)
    await page.get_by_role("link", name="English").click()
    await page.get_by_role("heading", name="Edit the page “Lånekort for 2. trinn”").wait_for()
    await assert_fits_the_phone(page)
    await assert_wcag_21_aa(page)


async def school_deposits(url: str) -> list[dict[str, object]]:
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/deposits?school_id=aspoy-skule", headers=STAFF)
    assert response.status_code == 200, response.text
    found: list[dict[str, object]] = response.json()
    return found
