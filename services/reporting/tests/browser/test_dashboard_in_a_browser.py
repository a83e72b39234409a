"""The dashboard and the API documentation as a person sees them, in a real browser: the
sign-in page and the dashboard pass axe-core's WCAG 2.1 A and AA rules, the dashboard fits a
390-pixel phone without sideways scrolling of the page, its charts have text alternatives, and
``/docs`` renders from local files only. (The end-to-end browser test, against the whole running
system, is ``tests/e2e/test_dashboard_in_a_browser.py``.)"""

import asyncio
from datetime import UTC, date, datetime
from uuid import uuid4

import httpx
import nats
import pytest
from playwright.async_api import Page, Request

from tvers_contracts import DomainEvent, Envelope, event_subject
from tvers_contracts.events.access import BranchRegistered, EntryGranted
from tvers_contracts.events.visits import ClassVisitHeld, Programme, school_year_of
from tvers_contracts.values import OpeningKind
from tvers_reporting.testing.dashboard import viewer_token
from tvers_runtime.auth import Role
from tvers_runtime.relay import ensure_stream
from tvers_runtime.testing.browser import PHONE, assert_wcag_21_aa
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = [pytest.mark.servers, pytest.mark.browser]
BRANCHES = {
    "brattvag": "Brattvåg bibliotek og innbyggartorg",
    "skodje": "Skodje bibliotek",
    "alesund-sentrum": "Ålesund hovudbibliotek, Kulturhuset",
}


async def publish_activity(nats_url: str) -> None:
    """Some activity at a few branches, as the other services would publish it."""
    events: list[tuple[str, DomainEvent]] = []
    for branch_id, name in BRANCHES.items():
        events += [
            ("access", BranchRegistered(branch_id=branch_id, name=name, meirope_min_age=15)),
            (
                "access",
                EntryGranted(
                    door_id=f"{branch_id}-hovuddor",
                    branch_id=branch_id,
                    patron_ref="0123456789abcdef0123456789abcdef",
                    opening=OpeningKind.MEIROPE,
                ),
            ),
            (
                "visits",
                ClassVisitHeld(
                    visit_id=uuid4(),
                    school_id=f"{branch_id}-skule",
                    grade=2,
                    class_label="2A",
                    branch_id=branch_id,
                    held_on=date.today(),
                    school_year=school_year_of(date.today()),
                    pupils_present=24,
                    library_cards_handed_out=20,
                    consent_forms_collected=20,
                    programme=Programme.SECOND_GRADE,
                ),
            ),
        ]
    client = await nats.connect(nats_url)
    try:
        for service in ("access", "visits"):
            await ensure_stream(client.jsm(), service)
        now = datetime.now(UTC)
        for service, payload in events:
            envelope = Envelope[DomainEvent](
                event_id=uuid4(),
                event_type=type(payload).__name__,
                schema_version=1,
                tenant="1508",
                stream_id=f"{service}-{uuid4()}",
                stream_version=1,
                occurred_at=now,
                recorded_at=now,
                correlation_id=uuid4(),
                payload=payload,
            )
            body = envelope.model_dump_json(serialize_as_any=True).encode()
            await client.jetstream().publish(event_subject(type(payload)), body)
    finally:
        await client.close()


async def wait_for_projection(url: str) -> None:
    viewer = bearer(Role.VIEWER, audience=["reporting"])
    async with httpx.AsyncClient(base_url=url, headers=viewer) as http:
        for _ in range(200):
            rows = (await http.get("/api/daily")).json()
            if len({row["branch_id"] for row in rows}) == len(BRANCHES):
                return
            await asyncio.sleep(0.1)
    raise AssertionError("the activity was never projected")


async def sign_in(page: Page, url: str) -> None:
    """Sign in by the form, typing the code as a person pasting it would."""
    await page.goto(f"{url}/")
    await page.get_by_label("Tilgangskode").fill(viewer_token())
    await page.get_by_role("button", name="Logg inn").click()
    await page.wait_for_url(f"{url}/")


async def test_the_sign_in_page_meets_wcag_21_aa_also_when_it_refuses(
    page: Page, reporting_url: str
) -> None:
    await page.goto(f"{reporting_url}/")
    await assert_wcag_21_aa(page)
    await page.get_by_label("Tilgangskode").fill("not-a-code")
    await page.get_by_role("button", name="Logg inn").click()
    await page.get_by_role("alert").wait_for()
    await assert_wcag_21_aa(page)


async def test_the_dashboard_fits_a_phone_and_meets_wcag_21_aa(
    page: Page, reporting_url: str, nats_server: NatsUnderTest
) -> None:
    await publish_activity(nats_server.url)
    await wait_for_projection(reporting_url)
    await page.set_viewport_size(PHONE)
    await sign_in(page, reporting_url)
    rows = page.locator("#across tbody tr")
    assert await rows.count() == len(BRANCHES)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide"
    region = page.locator("#across").locator("xpath=..")
    assert await region.get_attribute("tabindex") == "0"
    assert await region.evaluate("e => e.scrollWidth > e.clientWidth"), "the table scrolls in it"
    await assert_wcag_21_aa(page)
    await page.goto(f"{reporting_url}/?lang=en")
    await assert_wcag_21_aa(page)


async def test_the_charts_have_text_alternatives(
    page: Page, reporting_url: str, nats_server: NatsUnderTest
) -> None:
    await publish_activity(nats_server.url)
    await wait_for_projection(reporting_url)
    await sign_in(page, reporting_url)
    charts = page.locator("figure.chart svg[role=img]")
    # The heat map, visits and opening hours per branch, host coverage, the desk's demand by
    # category and by week.
    assert await charts.count() == 6
    for index in range(6):
        chart = charts.nth(index)
        name = await chart.evaluate(
            "svg => svg.getAttribute('aria-labelledby').split(' ')"
            ".map(id => document.getElementById(id).textContent).join(' ')"
        )
        assert len(name) > 20, name
        box = await chart.bounding_box()
        assert box is not None, "drawn"
        assert box["height"] > 50, "drawn"


async def test_the_dashboard_shows_the_favicon(page: Page, reporting_url: str) -> None:
    await page.goto(f"{reporting_url}/")  # the sign-in page has it too
    icon = await page.locator("link[rel=icon]").get_attribute("href")
    assert icon is not None
    assert (await page.request.get(f"{reporting_url}{icon}")).ok


async def test_the_api_documentation_renders_from_local_files_only(
    page: Page, reporting_url: str
) -> None:
    requested: list[str] = []

    def record(request: Request) -> None:
        requested.append(request.url)

    page.on("request", record)
    await page.goto(f"{reporting_url}/docs")
    await page.locator(".opblock").first.wait_for()
    assert await page.locator(".opblock").count() >= 2
    assert requested
    assert all(url.startswith(reporting_url) for url in requested), requested
