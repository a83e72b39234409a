"""The school's book deposits on its pages, over HTTP on a real PostgreSQL and NATS: a school
librarian orders a deposit for a class and sees it requested; a teacher orders one for the school
library and cancels it; a refused order says why, keeps what was written and stores nothing; the
due date and an overdue deposit are said in words; another school's deposits are never shown nor
cancelled; the page needs signing in, and its forms the session's token."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pages import hidden_fields, select_options
from tvers_visits.testing.school_page import PAGE, access_code, sign_in, signed_in_page
from tvers_visits.testing.town import STAFF

pytestmark = pytest.mark.servers
YEAR = "2026-2027"
#: A Thursday in October, in the school year.
NOW = datetime(2026, 10, 1, 10, 0, tzinfo=OSLO)
DEPOSITS = f"{PAGE}/deposits"
LIBRARIAN = access_code(Role.SCHOOL_LIBRARIAN, school_id="aspoy-skule")
TEACHER = access_code(Role.TEACHER, school_id="aspoy-skule")
HESSA_TEACHER = bearer(Role.TEACHER, school_id="hessa-skule")


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(NOW)


async def deposit_events(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type LIKE 'Deposit%'"
    )
    return count


async def deposits_of(client: httpx.AsyncClient, school_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/deposits?school_id={school_id}", headers=STAFF)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def an_order(page: str, **changes: str) -> dict[str, str]:
    """The order form of the page, filled in: 25 books on dinosaurs for class 2A, wished in two
    weeks."""
    return {
        **hidden_fields(page),
        "for_whom": "2A",
        "theme": "Dinosaurar",
        "books": "25",
        "wished_delivery_on": (NOW.date() + timedelta(days=14)).isoformat(),
        **changes,
    }


def item(html: str, deposit_id: str) -> str:
    """The part of the page about one deposit."""
    start = html.index(f'id="deposit-{deposit_id}"')
    end = html.find("</li>", start)
    return html[start:end]


def text(html: str) -> str:
    """What a part of a page says, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


async def test_a_school_librarian_orders_a_deposit_for_a_class_and_sees_it_requested(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    assert (await sign_in(client, LIBRARIAN)).status_code == 303
    page = await signed_in_page(client, path=DEPOSITS)
    assert "<h1>Depotlån</h1>" in page
    assert 'aria-current="page">Depotlån</a>' in page
    assert "Skulen har ikkje bestilt noko depotlån enno." in page
    assert select_options(page, "for-whom") == ["library", "2A", "2B"]
    fields = an_order(page)

    ordered = await client.post(DEPOSITS, data=fields)
    assert ordered.status_code == 303, ordered.text
    [deposit] = await deposits_of(client, "aspoy-skule")
    assert ordered.headers["location"] == f"{DEPOSITS}?done=ordered#deposit-{deposit['deposit_id']}"
    assert (deposit["grade"], deposit["class_label"], deposit["theme"]) == (2, "2A", "Dinosaurar")
    assert (deposit["books"], deposit["wished_delivery_on"]) == (25, "2026-10-15")
    assert (deposit["ordered_by"], deposit["status"]) == ("school_librarian", "requested")
    after = await signed_in_page(client, "?done=ordered", path=DEPOSITS)
    assert "Depotlånet er bestilt." in after
    mine = item(after, deposit["deposit_id"])
    assert "<h3" in mine
    assert "Dinosaurar" in mine
    assert "Til klasse 2A. Bøker: om lag 25." in mine
    assert "Status: bestilt. Bestilt 1. oktober 2026, ønskt levert 15. oktober 2026." in text(mine)
    assert "Avbestill depotlånet" in mine
    # The same form sent again (a double tap) orders nothing more.
    assert (await client.post(DEPOSITS, data=fields)).status_code == 303
    assert len(await deposits_of(client, "aspoy-skule")) == 1


async def test_a_teacher_orders_one_for_the_school_library_and_cancels_it(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    await sign_in(client, TEACHER)
    page = await signed_in_page(client, path=DEPOSITS)
    ordered = await client.post(DEPOSITS, data=an_order(page, for_whom="library", theme="Krim"))
    assert ordered.status_code == 303, ordered.text
    [deposit] = await deposits_of(client, "aspoy-skule")
    assert (deposit["grade"], deposit["class_label"], deposit["ordered_by"]) == (
        None,
        None,
        "teacher",
    )
    page = await signed_in_page(client, path=DEPOSITS)
    assert "Til skulebiblioteket." in item(page, deposit["deposit_id"])
    path = f"{DEPOSITS}/{deposit['deposit_id']}/cancel"

    cancelled = await client.post(path, data=hidden_fields(page))
    assert cancelled.status_code == 303, cancelled.text
    after = await signed_in_page(client, "?done=deposit-cancelled", path=DEPOSITS)
    assert "Depotlånet er avbestilt." in after
    mine = item(after, deposit["deposit_id"])
    assert "Status: avbestilt. Avbestilt av skulen." in text(mine)
    assert "<form" not in mine
    [cancelled_deposit] = await deposits_of(client, "aspoy-skule")
    assert (cancelled_deposit["status"], cancelled_deposit["cancelled_by"]) == (
        "cancelled",
        "school",
    )
    again = await client.post(path, data=hidden_fields(after))
    assert again.status_code == 409
    assert "Depotlånet er alt avbestilt." in again.text


@pytest.mark.parametrize(
    ("changes", "said", "field"),
    [
        ({"for_whom": "3A"}, "Vel skulebiblioteket eller ein av klassane på skulen.", "for-whom"),
        ({"theme": "Ring 12345678"}, "Skriv temaet på ei linje med høgst 80 teikn", "theme"),
        ({"theme": "  "}, "Skriv temaet på ei linje", "theme"),
        ({"books": "0"}, "som eit heiltal frå 1 til 300.", "books"),
        ({"books": "mange"}, "som eit heiltal frå 1 til 300.", "books"),
        ({"wished_delivery_on": "snart"}, "Vel dagen du ønskjer bøkene levert.", "wished"),
        ({"wished_delivery_on": "2026-09-30"}, "Den ønskte leveringsdatoen har passert.", None),
        ({"wished_delivery_on": "2027-12-01"}, "til og med 1. oktober 2027.", None),
    ],
    ids=[
        "not-our-class",
        "phone-number",
        "no-theme",
        "no-books",
        "not-a-number",
        "no-day",
        "past",
        "too-far",
    ],
)
async def test_a_refused_order_says_why_keeps_what_was_written_and_stores_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    town: None,
    changes: dict[str, str],
    said: str,
    field: str | None,
) -> None:
    await sign_in(client, LIBRARIAN)
    fields = an_order(await signed_in_page(client, path=DEPOSITS), **changes)
    before = await deposit_events(app)

    refused = await client.post(DEPOSITS, data=fields)
    assert refused.status_code == 422, refused.text
    assert 'role="alert"' in refused.text
    assert said in refused.text
    assert '"error"' not in refused.text
    assert f'value="{fields["theme"]}"' in refused.text
    if field is not None:
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', refused.text)
    assert await deposit_events(app) == before


async def test_the_due_date_and_an_overdue_deposit_are_said_in_words(
    client: httpx.AsyncClient, town: None, clock: SteppedClock
) -> None:
    await sign_in(client, LIBRARIAN)
    ordered = await client.post(
        DEPOSITS, data=an_order(await signed_in_page(client, path=DEPOSITS))
    )
    assert ordered.status_code == 303
    [deposit] = await deposits_of(client, "aspoy-skule")
    deposit_id = deposit["deposit_id"]
    for step, body in (("prepared", {"books": 24}), ("delivered", {"due_on": "2026-11-20"})):
        moved = await client.post(f"/deposits/{deposit_id}/{step}", json=body, headers=STAFF)
        assert moved.status_code == 200, moved.text

    delivered = item(await signed_in_page(client, path=DEPOSITS), deposit_id)
    assert (
        "Status: levert. Levert 1. oktober 2026; skal leverast tilbake innan 20. november 2026."
        in text(delivered)
    )
    assert "<form" not in delivered  # delivered: no longer to be cancelled
    clock.now = datetime(2026, 11, 21, 9, tzinfo=OSLO)
    await sign_in(client, LIBRARIAN)  # the session of October has ended
    page = await signed_in_page(client, path=DEPOSITS)
    assert "Nokre depotlån har gått over fristen" in page
    assert (
        "Status: over fristen. Levert 1. oktober 2026; skulle vore levert tilbake innan 20. "
        "november 2026. Lever bøkene tilbake til biblioteket" in text(item(page, deposit_id))
    )
    english = item(await signed_in_page(client, "?lang=en", path=DEPOSITS), deposit_id)
    assert (
        "Status: overdue. Delivered on October 1, 2026; it was due back on November 20, 2026."
        in text(english)
    )

    returned = await client.post(f"/deposits/{deposit_id}/returned", json={}, headers=STAFF)
    assert returned.status_code == 200, returned.text
    back = item(await signed_in_page(client, "?lang=nn", path=DEPOSITS), deposit_id)
    assert "Status: levert tilbake. Levert tilbake 21. november 2026." in text(back)


async def test_another_schools_deposits_are_never_shown_nor_cancelled(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    body = {"theme": "Hessa sine dinosaurar", "books": 10, "wished_delivery_on": "2026-10-20"}
    theirs = await client.post("/deposits", json=body, headers=HESSA_TEACHER)
    assert theirs.status_code == 201, theirs.text
    their_id = theirs.json()["deposit_id"]
    await sign_in(client, LIBRARIAN)
    page = await signed_in_page(client, path=DEPOSITS)
    assert "Hessa" not in page
    assert their_id not in page
    assert "Skulen har ikkje bestilt noko depotlån enno." in page
    before = await deposit_events(app)

    refused = await client.post(f"{DEPOSITS}/{their_id}/cancel", data=hidden_fields(page))
    assert refused.status_code == 404
    assert "Vi finn ikkje det depotlånet blant depotlåna til skulen din." in refused.text
    unknown = await client.post(
        f"{DEPOSITS}/00000000-0000-4000-8000-000000000000/cancel", data=hidden_fields(page)
    )
    assert unknown.status_code == 404
    assert await deposit_events(app) == before
    [still] = await deposits_of(client, "hessa-skule")
    assert still["status"] == "requested"


async def test_the_deposits_page_needs_signing_in_and_its_forms_the_sessions_token(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    unsigned = await client.get(DEPOSITS)
    assert unsigned.status_code == 401
    assert "Logg inn med tilgangskoden din først." in unsigned.text
    await sign_in(client, LIBRARIAN)
    fields = an_order(await signed_in_page(client, path=DEPOSITS))
    before = await deposit_events(app)
    forged = await client.post(DEPOSITS, data={**fields, "form_token": "x"})
    assert forged.status_code == 403
    cross_site = await client.post(DEPOSITS, data=fields, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 403
    assert await deposit_events(app) == before
