"""The school page over HTTP on a real PostgreSQL and NATS: a teacher signs in once with their
access code and gets a safe session cookie; wrong codes get a page in words and no cookie; a
forged form changes nothing; a teacher books a free time through the form and sees the visit
booked, cancels it with a reason, and is told in words when the time was taken meanwhile; a
teacher never sees nor changes another school's classes; a school librarian reads the page; the
page speaks English when asked; signing out and 12 hours end the session."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role, Tokens
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import TEST_KEY, bearer
from tvers_runtime.testing.pages import hidden_fields, select_options
from tvers_visits.testing.school_page import (
    PAGE,
    access_code,
    form_fields,
    sign_in,
    signed_in_page,
)
from tvers_visits.testing.town import STAFF

pytestmark = pytest.mark.servers
YEAR = "2026-2027"
#: A Thursday in October: the forms offer the free times of the next four weeks.
NOW = datetime(2026, 10, 1, 10, 0, tzinfo=OSLO)
ASPOY = access_code(school_id="aspoy-skule")
HESSA = bearer(Role.TEACHER, school_id="hessa-skule")
EXPIRED = Tokens(TEST_KEY).issue(
    Role.TEACHER, tenant="1508", school_id="aspoy-skule", audience=["visits"], lifetime_seconds=-10
)
TIMES_2A = "class-2A-time"
SESSION = "tvers_school_session"


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(NOW)


@pytest.fixture
async def other_browser(app: FastAPI, client: httpx.AsyncClient) -> Any:
    """A second browser on the running service, with a cookie jar of its own."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as other:
        yield other


async def bookings(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type LIKE 'ClassVisit%'"
    )
    return count


async def visits_of(client: httpx.AsyncClient, school_id: str) -> list[dict[str, Any]]:
    path = f"/school-years/{YEAR}/class-visits?school_id={school_id}"
    response = await client.get(path, headers=STAFF)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def book_by_api(client: httpx.AsyncClient, school_id: str, label: str, starts: str) -> str:
    starts_at = datetime.fromisoformat(starts)
    body = {
        "school_id": school_id,
        "grade": 2,
        "class_label": label,
        "branch_id": "alesund-sentrum",
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=2)).isoformat(),
        "expected_pupils": 20,
        "programme": "second_grade",
    }
    response = await client.post("/class-visits", json=body, headers=STAFF)
    assert response.status_code == 201, response.text
    visit_id: str = response.json()["visit_id"]
    return visit_id


def section(html: str, anchor: str) -> str:
    """The part of the page about one class, up to the next one."""
    start = html.index(f'id="{anchor}"')
    end = html.find('<li class="class"', start)
    return html[start : end if end > 0 else len(html)]


async def test_a_teacher_signs_in_once_with_the_access_code_and_gets_a_safe_cookie(
    client: httpx.AsyncClient, town: None
) -> None:
    first = await client.get(PAGE)
    assert first.status_code == 401
    assert 'name="token"' in first.text
    assert "Logg inn" in first.text
    signed = await sign_in(client, ASPOY)
    assert signed.status_code == 303, signed.text
    assert signed.headers["location"] == PAGE
    cookie = signed.headers["set-cookie"].lower()
    assert cookie.startswith(f"{SESSION}=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/skule" in cookie
    assert "secure" not in cookie  # served over http here
    assert ASPOY.lower() not in cookie  # the token is kept nowhere

    page = await client.get(PAGE)
    assert page.status_code == 200
    assert '<html lang="nn">' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "<h1>Aspoy Skule</h1>" in page.text
    assert "Klasse 2A" in page.text
    assert "Elevar: 24" in page.text
    assert "Ikkje bestilt enno." in page.text
    assert "Du er innlogga som lærar ved Aspoy Skule." in page.text
    # The session cookie is no token for the JSON API.
    api = await client.get(
        f"/school-years/{YEAR}/schools/aspoy-skule/classes",
        headers={"Authorization": f"Bearer {client.cookies[SESSION]}"},
    )
    assert api.status_code == 401


@pytest.mark.parametrize(
    ("code", "status", "said"),
    [
        ("not-a-token", 401, "Tilgangskoden er ikkje gyldig"),
        ("", 401, "Tilgangskoden er ikkje gyldig"),
        ("x" * 5000, 401, "Tilgangskoden er ikkje gyldig"),
        (
            access_code(Role.VIEWER, audience=["reporting"]),
            401,
            "Tilgangskoden er ikkje gyldig",
        ),
        (
            access_code(Role.TEACHER, school_id="aspoy-skule", audience=["access"]),
            401,
            "Tilgangskoden er ikkje gyldig",
        ),
        (EXPIRED, 401, "Tilgangskoden er ikkje gyldig"),
        (access_code(Role.STAFF), 403, "Denne sida er for lærarar og skulebibliotekarar"),
        (access_code(Role.TEACHER), 403, "Tilgangskoden er ikkje knytt til nokon skule"),
    ],
    ids=[
        "garbled",
        "empty",
        "too-long",
        "viewer",
        "another-service",
        "expired",
        "staff",
        "no-school",
    ],
)
async def test_a_wrong_access_code_gets_a_page_that_says_why_and_no_cookie(
    client: httpx.AsyncClient, town: None, code: str, status: int, said: str
) -> None:
    refused = await sign_in(client, code)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith("text/html")
    assert said in refused.text
    assert 'role="alert"' in refused.text
    assert "set-cookie" not in refused.headers
    assert (await client.get(PAGE)).status_code == 401


async def test_a_forged_or_foreign_form_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI, other_browser: httpx.AsyncClient, town: None
) -> None:
    await sign_in(client, ASPOY)
    page = await signed_in_page(client)
    fields = {**hidden_fields(page), "starts_at": select_options(page, TIMES_2A)[0]}
    path = f"{PAGE}/classes/2/2A/book"
    before = await bookings(app)

    missing = await client.post(path, data={"starts_at": fields["starts_at"]})
    assert missing.status_code == 403
    assert "Skjemaet var for gammalt" in missing.text
    wrong = await client.post(path, data={**fields, "form_token": "x"})
    assert wrong.status_code == 403
    cross_site = await client.post(path, data=fields, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 403
    assert (await client.post(path, json=fields)).status_code == 415
    # The form token without the cookie: another browser is not signed in.
    no_cookie = await other_browser.post(path, data=fields)
    assert no_cookie.status_code == 401
    assert "Logg inn med tilgangskoden din først." in no_cookie.text
    assert f'href="{PAGE}"' in no_cookie.text
    assert await bookings(app) == before


async def test_a_teacher_books_a_free_time_through_the_form_and_sees_it_booked(
    client: httpx.AsyncClient, town: None
) -> None:
    await sign_in(client, ASPOY)
    page = await signed_in_page(client)
    offered = select_options(page, TIMES_2A)
    assert offered, "free times are offered"
    first = datetime.fromisoformat(offered[0])
    assert first > NOW
    assert first.date() <= NOW.date() + timedelta(days=28)
    assert "optgroup" in section(page, "class-2A")
    fields = {**hidden_fields(page), "starts_at": offered[0]}

    booked = await client.post(f"{PAGE}/classes/2/2A/book", data=fields)
    assert booked.status_code == 303, booked.text
    assert booked.headers["location"] == f"{PAGE}?done=booked#class-2A"
    after = await signed_in_page(client, "?done=booked")
    assert "Besøket er bestilt. Velkomne til biblioteket!" in after
    mine = section(after, "class-2A")
    assert "Bestilt:" in mine
    assert "Alesund Sentrum" in mine  # the branch's name as known
    assert "Avbestill besøket" in mine
    assert TIMES_2A not in mine
    [visit] = await visits_of(client, "aspoy-skule")
    assert (visit["class_label"], visit["status"]) == ("2A", "booked")
    assert datetime.fromisoformat(visit["starts_at"]) == first
    assert datetime.fromisoformat(visit["ends_at"]) == first + timedelta(hours=2)
    assert (visit["expected_pupils"], visit["programme"]) == (24, "second_grade")
    # The same form sent again (a double tap) books nothing more; sent again changed (from a
    # page kept in the browser's history), it is out of date.
    again = await client.post(f"{PAGE}/classes/2/2A/book", data=fields)
    assert again.status_code == 303
    changed = await client.post(
        f"{PAGE}/classes/2/2A/book", data={**fields, "starts_at": offered[1]}
    )
    assert changed.status_code == 409
    assert "Skjemaet var for gammalt, så ingenting vart gjort." in changed.text
    assert len(await visits_of(client, "aspoy-skule")) == 1


async def test_a_time_taken_meanwhile_is_refused_in_words_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    await sign_in(client, ASPOY)
    page = await signed_in_page(client)
    chosen = select_options(page, TIMES_2A)[0]
    await book_by_api(client, "hessa-skule", "2A", chosen)  # another school is quicker
    before = await bookings(app)

    refused = await client.post(
        f"{PAGE}/classes/2/2A/book", data={**hidden_fields(page), "starts_at": chosen}
    )
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("text/html")
    assert "Ein annan klasse bestilte den tida i mellomtida. Vel ei anna tid." in refused.text
    assert '"error"' not in refused.text
    assert chosen not in select_options(refused.text, TIMES_2A)
    assert await bookings(app) == before
    assert await visits_of(client, "aspoy-skule") == []


async def test_a_teacher_cancels_a_booked_visit_with_a_reason(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    starts = datetime.combine(date(2026, 11, 24), datetime.min.time(), OSLO) + timedelta(hours=10)
    visit_id = await book_by_api(client, "aspoy-skule", "2B", starts.isoformat())
    await sign_in(client, ASPOY)
    fields = await form_fields(client)
    path = f"{PAGE}/visits/{visit_id}/cancel"
    before = await bookings(app)

    unexplained = await client.post(path, data=fields)
    assert unexplained.status_code == 422
    assert "Vel kvifor besøket blir avbestilt." in unexplained.text
    libraries = await client.post(path, data={**fields, "reason": "library_cancelled"})
    assert libraries.status_code == 422
    assert await bookings(app) == before

    cancelled = await client.post(path, data={**fields, "reason": "illness"})
    assert cancelled.status_code == 303, cancelled.text
    page = await signed_in_page(client, "?done=cancelled")
    assert "Besøket er avbestilt." in page
    two_b = section(page, "class-2B")
    assert "Avbestilt: tysdag 24. november 2026, 10:00\N{EN DASH}12:00 (Sjukdom)." in two_b
    assert "Ikkje bestilt enno." in two_b
    assert "class-2B-time" in two_b  # it can be booked again
    # The same form sent again is the same action; a form of another page is refused.
    assert (await client.post(path, data={**fields, "reason": "illness"})).status_code == 303
    other_tab = {**await form_fields(client), "reason": "illness"}
    again = await client.post(path, data=other_tab)
    assert again.status_code == 409
    assert "Besøket er alt avbestilt." in again.text


async def test_a_teacher_never_sees_nor_changes_another_schools_visits(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    starts = datetime(2026, 11, 24, 10, tzinfo=OSLO).isoformat()
    theirs = await book_by_api(client, "hessa-skule", "2A", starts)
    await sign_in(client, ASPOY)
    page = await signed_in_page(client)
    assert "Hessa" not in page
    assert theirs not in page
    assert "Bestilt:" not in page
    fields = hidden_fields(page)
    before = await bookings(app)

    cancel = await client.post(
        f"{PAGE}/visits/{theirs}/cancel", data={**fields, "reason": "illness"}
    )
    assert cancel.status_code == 404
    assert "Vi finn ikkje det besøket." in cancel.text
    not_ours = await client.post(f"{PAGE}/classes/2/2C/book", data={**fields, "starts_at": starts})
    assert not_ours.status_code == 404
    assert "Vi finn ikkje den klassen" in not_ours.text
    assert await bookings(app) == before
    [still] = await visits_of(client, "hessa-skule")
    assert still["status"] == "booked"


async def test_a_school_librarian_reads_the_classes_with_no_forms_to_book(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    await book_by_api(
        client, "aspoy-skule", "2A", datetime(2026, 11, 24, 10, tzinfo=OSLO).isoformat()
    )
    assert (
        await sign_in(client, access_code(Role.SCHOOL_LIBRARIAN, school_id="aspoy-skule"))
    ).status_code == 303
    page = await signed_in_page(client)
    assert "Du er innlogga som skulebibliotekar ved Aspoy Skule." in page
    assert "Lærarane bestiller og avbestiller besøka." in page
    assert "Bestilt:" in section(page, "class-2A")
    assert "Ikkje bestilt enno." in section(page, "class-2B")
    assert "<select" not in page
    assert "/book" not in page
    assert "/cancel" not in page
    before = await bookings(app)
    refused = await client.post(
        f"{PAGE}/classes/2/2B/book",
        data={
            **hidden_fields(page),
            "starts_at": datetime(2026, 11, 25, 10, tzinfo=OSLO).isoformat(),
        },
    )
    assert refused.status_code == 403
    assert "Berre lærarar bestiller og avbestiller besøk" in refused.text
    assert await bookings(app) == before


async def test_a_held_visit_shows_its_counts(
    client: httpx.AsyncClient, town: None, clock: SteppedClock
) -> None:
    visit_id = await book_by_api(
        client, "aspoy-skule", "2A", datetime(2026, 10, 6, 10, tzinfo=OSLO).isoformat()
    )
    clock.now = datetime(2026, 10, 6, 12, 30, tzinfo=OSLO)
    counts = {"pupils_present": 22, "library_cards_handed_out": 20, "consent_forms_collected": 21}
    held = await client.post(
        f"/school-years/{YEAR}/class-visits/{visit_id}/held", json=counts, headers=STAFF
    )
    assert held.status_code == 200, held.text
    await sign_in(client, ASPOY)
    two_a = section(await signed_in_page(client), "class-2A")
    assert (
        "Besøket var tysdag 6. oktober 2026: 22 elevar kom, 20 fekk lånekort, og 21 "
        "samtykkeskjema vart leverte." in two_a
    )
    assert "<form" not in two_a


async def test_the_page_switches_to_english_and_keeps_the_choice(
    client: httpx.AsyncClient, app: FastAPI, town: None
) -> None:
    await sign_in(client, ASPOY)
    english = await client.get(f"{PAGE}?lang=en")
    assert english.status_code == 200
    assert '<html lang="en">' in english.text
    assert "Class 2A" in english.text
    assert "Not booked yet." in english.text
    assert 'lang="nn"' in english.text  # the switch back is marked as nynorsk
    assert "tvers_lang=en" in english.headers["set-cookie"]
    assert "Path=/skule" in english.headers["set-cookie"]
    kept = await signed_in_page(client)
    assert "Book the visit" in kept
    chosen = select_options(kept, TIMES_2A)[0]
    await book_by_api(client, "hessa-skule", "2A", chosen)
    refused = await client.post(
        f"{PAGE}/classes/2/2A/book", data={**hidden_fields(kept), "starts_at": chosen}
    )
    assert refused.status_code == 409
    assert "Another class booked that time in the meantime." in refused.text


async def test_signing_out_ends_the_session_for_good(
    client: httpx.AsyncClient, other_browser: httpx.AsyncClient, town: None
) -> None:
    await sign_in(client, ASPOY)
    other_browser.cookies.set(SESSION, client.cookies[SESSION], path=PAGE)
    out = await client.post(f"{PAGE}/sign-out", data=await form_fields(client))
    assert out.status_code == 200
    assert "Du er logga ut" in out.text
    assert f'{SESSION}=""' in out.headers["set-cookie"]
    assert (await client.get(PAGE)).status_code == 401
    assert (await other_browser.get(PAGE)).status_code == 401


async def test_a_session_ends_after_12_hours_or_with_its_token(
    client: httpx.AsyncClient, other_browser: httpx.AsyncClient, town: None, clock: SteppedClock
) -> None:
    await sign_in(client, ASPOY)
    soon = Tokens(TEST_KEY).issue(
        Role.TEACHER,
        tenant="1508",
        school_id="aspoy-skule",
        audience=["visits"],
        lifetime_seconds=3600,
    )
    short = await sign_in(other_browser, soon)
    assert re.search(r"max-age=3[56]\d\d;", short.headers["set-cookie"].lower())
    clock.advance(timedelta(hours=1))
    assert (await other_browser.get(PAGE)).status_code == 401
    assert (await client.get(PAGE)).status_code == 200
    clock.advance(timedelta(hours=11) - timedelta(seconds=1))
    assert (await client.get(PAGE)).status_code == 200
    clock.advance(timedelta(seconds=1))
    assert (await client.get(PAGE)).status_code == 401


async def test_the_forms_offer_four_weeks_at_a_time_and_move_by_as_many(
    client: httpx.AsyncClient, town: None
) -> None:
    await sign_in(client, ASPOY)
    page = await signed_in_page(client)
    days = {datetime.fromisoformat(v).date() for v in select_options(page, TIMES_2A)}
    assert min(days) >= NOW.date()
    assert max(days) <= date(2026, 10, 28)
    assert all(day.isoweekday() <= 5 for day in days)
    later = re.search(r'href="(/skule\?from=[0-9-]+)#classes"', page)
    assert later is not None
    assert later.group(1) == f"{PAGE}?from=2026-10-29"
    next_weeks = await signed_in_page(client, "?from=2026-10-29")
    moved = {datetime.fromisoformat(v).date() for v in select_options(next_weeks, TIMES_2A)}
    assert min(moved) >= date(2026, 10, 29)
    assert "Tidlegare tider" in next_weeks
    past = await signed_in_page(client, "?from=2020-01-01")  # never before today
    assert select_options(past, TIMES_2A) == select_options(page, TIMES_2A)


async def test_a_school_not_registered_yet_and_unknown_addresses_get_pages(
    client: httpx.AsyncClient, town: None
) -> None:
    assert (await sign_in(client, access_code(school_id="ukjend-skule"))).status_code == 303
    page = await signed_in_page(client)
    assert "Skulen din er ikkje registrert for klassebesøk enno." in page
    nothing = await client.get(f"{PAGE}/no-such-page")
    assert nothing.status_code == 404
    assert "Her er det ingenting." in nothing.text
    css = re.search(r'href="(/skule/page\.css\?v=[0-9a-f]{12})"', page)
    assert css is not None
    stylesheet = await client.get(css.group(1))
    assert stylesheet.status_code == 200
    assert stylesheet.headers["content-type"].startswith("text/css")
