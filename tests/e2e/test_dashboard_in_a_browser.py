"""The dashboard in a real browser (Debian's Chromium, through Playwright) against the whole
running system (``tvers up``): door entries made through access's API show on the dashboard;
a viewer signs in by the link ``tvers demo`` prints, switches to a branch and finds its numbers,
sees the charts drawn, and sees a new entry appear without reloading. Screenshots of the desktop
and the phone are kept as test artefacts (``test-artifacts/``, or ``$TVERS_TEST_ARTIFACTS``),
and axe-core finds no WCAG 2.1 AA violation on the sign-in page or the dashboard."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page

from tvers_cli.demo.patrons import demo_patrons
from tvers_runtime.auth import Role
from tvers_runtime.testing.browser import PHONE, assert_wcag_21_aa, chromium

pytestmark = [
    pytest.mark.servers,
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.xdist_group("e2e"),
]
ARTIFACTS = Path(
    os.environ.get("TVERS_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts")
)
CARD, PIN = demo_patrons()[2].card, demo_patrons()[2].pin
ALL_WEEK_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "23:59", "kind": "meirope"} for d in range(1, 8)
]
#: Two branches of the fixture, with the door entries each gets before the browser looks.
BRANCHES = {"e2e-vigra": ("Vigra bibliotek", 2), "e2e-giske": ("Giske bibliotek", 1)}


def ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def enter(tvers: Any, http: httpx.Client, branch_id: str) -> None:
    """A patron with an agreement opens the branch's door in meirope hours."""
    entry = ok(
        http.post(
            f"{tvers.url('access')}/doors/{branch_id}-hovuddor/presentations",
            json={"card_number": CARD, "pin": PIN},
            headers=tvers.token(Role.DOOR, door_id=f"{branch_id}-hovuddor"),
        )
    )
    assert (entry["entry"], entry["opening"]) == ("granted", "meirope")


def set_up_the_branches(tvers: Any) -> None:
    """Through access's public API only, as the library's staff would."""
    staff, access = tvers.token(Role.STAFF), tvers.url("access")
    with tvers.client() as http:
        for branch_id, (name, _) in BRANCHES.items():
            ok(
                http.post(
                    f"{access}/branches", json={"branch_id": branch_id, "name": name}, headers=staff
                )
            )
            ok(
                http.put(
                    f"{access}/branches/{branch_id}/schedule",
                    json={"periods": ALL_WEEK_MEIROPE},
                    headers=staff,
                )
            )
            door = {"door_id": f"{branch_id}-hovuddor", "branch_id": branch_id, "name": "Hovuddør"}
            ok(http.post(f"{access}/doors", json=door, headers=staff))
        ok(http.post(f"{access}/agreements", json={"card_number": CARD}, headers=staff))
        for branch_id, (_, entries) in BRANCHES.items():
            for _ in range(entries):
                enter(tvers, http, branch_id)


def wait_until_counted(tvers: Any, branch_id: str, entries: int) -> None:
    viewer = tvers.token(Role.VIEWER)
    url = f"{tvers.url('reporting')}/api/meirope/entries-by-hour?branch_id={branch_id}"
    deadline = time.monotonic() + 60
    with tvers.client() as http:
        while sum(row["meirope"] for row in ok(http.get(url, headers=viewer))) < entries:
            assert time.monotonic() < deadline, f"{branch_id}'s entries were never counted"
            time.sleep(0.2)


def key_figure(page: Page, label: str) -> Any:
    return page.locator(".figures").first.locator("li", has_text=label).locator(".value")


async def test_a_viewer_follows_a_branch_on_the_dashboard_as_entries_arrive(
    running_tvers: Any,
) -> None:
    tvers = running_tvers
    set_up_the_branches(tvers)
    for branch_id, (_, entries) in BRANCHES.items():
        wait_until_counted(tvers, branch_id, entries)
    reporting = tvers.url("reporting")
    viewer = tvers.token(Role.VIEWER)["Authorization"].removeprefix("Bearer ")
    await asyncio.to_thread(ARTIFACTS.mkdir, parents=True, exist_ok=True)
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        await page.goto(f"{reporting}/sign-in")
        await assert_wcag_21_aa(page)
        # The link tvers demo prints: the code rides in the fragment, and the page sends it.
        await page.goto(f"{reporting}/sign-in#token={viewer}")
        await page.wait_for_url(f"{reporting}/")
        await page.get_by_label("Avdeling", exact=True).select_option(label="Vigra bibliotek")
        await page.get_by_role("button", name="Vis").click()
        await page.wait_for_url("**branch=e2e-vigra**")
        meirope_visits = key_figure(page, "Besøk i meiropen tid")
        assert await meirope_visits.inner_text() == "2"
        bars = page.locator("#visits-bars svg[role=img]")
        await bars.wait_for()
        assert (box := await bars.bounding_box()) is not None
        assert box["height"] > 50
        assert await bars.locator('[data-value="2.0"]').count() >= 1, "Vigra's bar of 2 is drawn"
        await assert_wcag_21_aa(page)
        await page.screenshot(path=ARTIFACTS / "dashboard-desktop.png", full_page=True)

        await page.evaluate("window.notReloaded = true")
        with tvers.client() as http:
            await asyncio.to_thread(enter, tvers, http, "e2e-vigra")
        await (
            page.locator(".figures")
            .first.locator("li", has_text="Besøk i meiropen tid")
            .locator(".value", has_text="3")
            .wait_for()
        )
        assert await page.evaluate("window.notReloaded === true"), "updated without a reload"

        await page.set_viewport_size(PHONE)
        await page.reload()
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width} px"
        await assert_wcag_21_aa(page)
        await page.screenshot(path=ARTIFACTS / "dashboard-phone.png", full_page=True)
    assert (ARTIFACTS / "dashboard-desktop.png").stat().st_size > 10_000
    assert (ARTIFACTS / "dashboard-phone.png").stat().st_size > 10_000
