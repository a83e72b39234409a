"""The desk page over HTTP on a real PostgreSQL and NATS: a desk signs in once with its access
code and gets a session cookie (never its token); wrong codes get the sign-in page in words and
no cookie; help recorded by the form is stored once at the desk's site, also when the same form
is sent again under a newer form token (as the page's script does for a record kept offline);
bad choices are refused in words with nothing stored; a record of this browser's is undone by
its button within the undo window only; the page speaks English when asked."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from tvers_desk.testing.desk import SKODJE_DESK, stored
from tvers_desk.testing.desk_page import (
    PAGE,
    SESSION_COOKIE,
    access_code,
    form_fields,
    record_by_form,
    sign_in,
)
from tvers_runtime.auth import Role
from tvers_runtime.testing.clocks import SteppedClock

pytestmark = pytest.mark.servers


async def given_at_sites(app: FastAPI) -> list[str]:
    """The site of every HelpGiven stored, in order."""
    rows = await app.state.infrastructure.pool.fetch(
        "SELECT payload->>'site' AS site FROM events WHERE event_type = 'HelpGiven' "
        "ORDER BY global_position"
    )
    return [row["site"] for row in rows]


async def test_a_desk_signs_in_once_and_its_cookie_is_no_token(client: httpx.AsyncClient) -> None:
    before = await client.get(PAGE)
    assert before.status_code == 401
    assert "Tilgangskode" in before.text
    signed = await sign_in(client, access_code(site_id="haroy"))
    assert signed.status_code == 303
    assert signed.headers["location"] == PAGE
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "Path=/desk" in cookie
    assert "SameSite=lax" in cookie
    page = await client.get(PAGE)
    assert page.status_code == 200
    assert "Registrer hjelp" in page.text
    assert "Harøy" in page.text
    assert (await form_fields(client))["site"] == "haroy"
    assert page.headers["content-security-policy"].count("script-src 'self'") == 1
    # The session's cookie opens no JSON API: commands and reads take a bearer token.
    assert (await client.get("/categories")).status_code == 401


async def test_a_wrong_code_gets_the_sign_in_page_in_words_and_no_cookie(
    client: httpx.AsyncClient,
) -> None:
    garbled = await sign_in(client, "not-a-token")
    assert garbled.status_code == 401
    assert "Tilgangskoden er ikkje gyldig" in garbled.text
    viewer = await sign_in(client, access_code(Role.VIEWER))
    assert viewer.status_code == 403
    assert "anna rolle" in viewer.text
    assert "set-cookie" not in garbled.headers
    assert "set-cookie" not in viewer.headers
    assert (await client.get(PAGE)).status_code == 401


async def test_help_recorded_by_the_form_is_stored_once_at_the_desks_site(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await sign_in(client, access_code())
    fields = await form_fields(client)
    form = {
        **fields,
        "department": "citizen_service",
        "category": "bankid-id-porten",
        "channel": "phone",
        "referred_to": "library",
        "duration": "5_to_15_minutes",
    }
    first = await client.post(f"{PAGE}/help", data=form)
    assert first.status_code == 303, first.text
    assert first.headers["location"] == f"{PAGE}?done=recorded#recent"
    again = await client.post(f"{PAGE}/help", data=form)  # a double tap: one record
    assert again.status_code == 303
    assert await given_at_sites(app) == ["skodje"]
    page = (await client.get(first.headers["location"])).text
    assert "Registrert. Takk!" in page
    assert "Innbyggarservice · BankID og ID-porten · 5–15 min · Telefon" in page  # noqa: RUF001
    assert "vist vidare til Bibliotek" in page
    assert ">Angre</button>" in page
    # The department is remembered for the next record.
    assert 'value="citizen_service" required checked' in page


async def test_a_record_sent_again_under_a_newer_form_token_is_stored_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """As the page's script sends a record kept offline: its own key, and whatever form token
    the page has when the connection is back."""
    key = "2f1c8f0e-5a0b-4c55-9b55-6a3f0b8c9d10"
    code = access_code()
    await sign_in(client, code)
    first = await record_by_form(client, form_key=key)
    assert first.status_code == 303
    await sign_in(client, code)  # the desk's code again: a new session, a new form token
    again = await record_by_form(client, form_key=key)
    assert again.status_code == 303, again.text
    assert await stored(app, "HelpGiven") == 1


@pytest.mark.parametrize(
    ("role", "changes", "status", "words"),
    [
        (Role.DESK, {"category": "astrology"}, 422, "Den kategorien står ikkje på lista"),
        (Role.DESK, {"referred_to": "library"}, 422, "kan ikkje vise vidare til seg sjølv"),
        (Role.DESK, {"referred_to": "mayor"}, 422, "Vel ei av dei andre avdelingane"),
        (Role.DESK, {"department": ""}, 422, "Vel avdelinga som hjelpte"),
        (Role.DESK, {"duration": "an_hour"}, 422, "Vel omtrent kor lenge"),
        (Role.DESK, {"site": "brattvag"}, 403, "registrerer berre hjelp på skodje"),
        (Role.DESK, {"site": "molde"}, 422, "Det er ikkje eitt av innbyggartorga"),
        (Role.STAFF, {"site": "molde"}, 422, "Det er ikkje eitt av innbyggartorga"),
    ],
)
async def test_bad_choices_are_refused_in_words_and_nothing_is_stored(
    client: httpx.AsyncClient,
    app: FastAPI,
    role: Role,
    changes: dict[str, str],
    status: int,
    words: str,
) -> None:
    await sign_in(client, access_code(role))
    refused = await record_by_form(client, **changes)
    assert refused.status_code == status, refused.text
    assert 'role="alert"' in refused.text
    assert words in refused.text
    assert await stored(app, "HelpGiven") == 0


async def test_a_forged_form_changes_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    await sign_in(client, access_code())
    fields = await form_fields(client)
    forged = await record_by_form(client, form_token="forged")
    assert forged.status_code == 403
    cross_site = await client.post(
        f"{PAGE}/help", data=fields, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross_site.status_code == 403
    assert await stored(app, "HelpGiven") == 0


async def test_a_record_of_this_browser_is_undone_by_its_button_within_the_window_only(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock
) -> None:
    await sign_in(client, access_code())
    await record_by_form(client)
    page = (await client.get(PAGE)).text
    help_id = page.split(f'action="{PAGE}/help/')[1].split("/undo")[0]
    fields = await form_fields(client)
    undone = await client.post(f"{PAGE}/help/{help_id}/undo", data=fields)
    assert undone.status_code == 303, undone.text
    assert await stored(app, "HelpUndone") == 1
    page = (await client.get(undone.headers["location"])).text
    assert "Registreringa er angra" in page
    assert "<strong>angra</strong>" in page
    assert "/undo" not in page

    await record_by_form(client, category="digital-help")
    later = (await client.get(PAGE)).text
    late_id = later.split(f'action="{PAGE}/help/')[1].split("/undo")[0]
    clock.advance(timedelta(minutes=5))
    assert "/undo" not in (await client.get(PAGE)).text
    too_late = await client.post(f"{PAGE}/help/{late_id}/undo", data=await form_fields(client))
    assert too_late.status_code == 409
    assert "kan ikkje angrast lenger" in too_late.text
    assert await stored(app, "HelpUndone") == 1


async def test_another_sites_record_cannot_be_undone_from_the_page(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    elsewhere = await client.post(
        "/help",
        json={
            "site": "skodje",
            "department": "library",
            "category_id": "other",
            "channel": "email",
            "duration": "over_15_minutes",
        },
        headers=SKODJE_DESK,
    )
    help_id = elsewhere.json()["help_id"]
    await sign_in(client, access_code(site_id="haroy"))
    refused = await client.post(f"{PAGE}/help/{help_id}/undo", data=await form_fields(client))
    assert refused.status_code == 404
    assert "Vi finn ikkje den registreringa" in refused.text
    assert await stored(app, "HelpUndone") == 0


async def test_the_page_speaks_english_when_asked(client: httpx.AsyncClient) -> None:
    await sign_in(client, access_code())
    page = await client.get(f"{PAGE}?lang=en")
    assert '<html lang="en">' in page.text
    assert "Record help" in page.text
    assert "Printing and scanning" in page.text
    assert "Under 5 min" in page.text


async def test_the_services_root_leads_to_the_page(client: httpx.AsyncClient) -> None:
    root = await client.get("/")
    assert root.status_code == 303
    assert root.headers["location"] == PAGE
