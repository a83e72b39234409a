"""The self-service page's sign-in over HTTP on a real PostgreSQL: personal links made by staff,
single use and short-lived; the session cookie; forms refused without the session's token or
from another site; a volunteer who can never act for another; signing out; and erasing oneself
after a confirmation."""

import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.logging import configure_logging
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer, running
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.bootstrap import build_app
from tvers_volunteers.testing.page import (
    code_of,
    form_fields,
    hidden_fields,
    sign_in,
    sign_in_link,
)
from tvers_volunteers.testing.people import IN_CLEAR, REGISTRATION, register
from tvers_volunteers.testing.settings import volunteers_settings

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)


@pytest.fixture
async def browser(app: FastAPI, client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser on the running service, with a cookie jar of its own."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as other:
        yield other


@pytest.fixture
def service_log(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[[], str]]:
    """The service's log lines as it writes them (JSON, every level), from here on; not the
    test's own HTTP client's, which logs the addresses it calls."""
    root, test_client = logging.getLogger(), logging.getLogger("httpx")
    handlers, level, client_level = root.handlers[:], root.level, test_client.level
    configure_logging(service="volunteers", level="DEBUG", json=True)
    test_client.setLevel(logging.WARNING)
    capsys.readouterr()
    yield lambda: capsys.readouterr().err
    root.handlers, root.level = handlers, level
    test_client.setLevel(client_level)


async def events(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    return count


async def test_staff_make_a_link_that_signs_the_volunteer_in_once_with_a_safe_cookie(
    client: httpx.AsyncClient,
) -> None:
    volunteer_id = await register(client)
    made = await client.post(f"/volunteers/{volunteer_id}/sign-in-link", headers=STAFF)
    assert made.status_code == 201, made.text
    assert made.headers["cache-control"] == "no-store"
    url = made.json()["url"]
    assert re.fullmatch(r"http://service/me/sign-in\?token=[A-Za-z0-9_-]{43}", url), url
    assert volunteer_id not in url
    link = await sign_in_link(client, volunteer_id)

    opened = await client.get(link)  # a link preview or a mail scanner uses nothing up
    assert opened.status_code == 200
    assert "set-cookie" not in opened.headers
    assert opened.headers["referrer-policy"] == "no-referrer"
    assert hidden_fields(opened.text) == {"token": code_of(link)}
    signed = await client.post("/me/sign-in", data={"token": code_of(link)})
    assert signed.status_code == 303
    assert signed.headers["location"] == "/me"
    cookie = signed.headers["set-cookie"].lower()
    assert cookie.startswith("tvers_volunteer_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/me" in cookie
    assert "secure" not in cookie  # served over http here; over https it is Secure
    page = await client.get("/me")
    assert page.status_code == 200
    assert REGISTRATION["name"] in page.text
    assert page.headers["cache-control"] == "no-store"
    assert '<html lang="nn">' in page.text

    again = await client.post("/me/sign-in", data={"token": code_of(link)})
    assert again.status_code == 410
    assert "Lenkja er alt brukt" in again.text
    assert (await client.get(link)).status_code == 410


async def test_a_link_lasts_72_hours_and_a_new_one_replaces_the_unused_one(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    volunteer_id = await register(client)
    first = await sign_in_link(client, volunteer_id)
    second = await sign_in_link(client, volunteer_id)
    assert (await client.get(first)).status_code == 410
    clock.advance(timedelta(hours=72))
    assert (await client.get(second)).status_code == 410
    signed = await client.post("/me/sign-in", data={"token": code_of(second)})
    assert signed.status_code == 410
    assert "set-cookie" not in signed.headers


async def test_only_staff_make_links_and_only_for_a_volunteer_who_is_not_erased(
    client: httpx.AsyncClient,
) -> None:
    volunteer_id = await register(client)
    own = bearer(Role.VOLUNTEER, volunteer_id=uuid4())
    path = f"/volunteers/{volunteer_id}/sign-in-link"
    assert (await client.post(path)).status_code == 401
    assert (await client.post(path, headers=own)).status_code == 403
    unknown = await client.post(f"/volunteers/{uuid4()}/sign-in-link", headers=STAFF)
    assert unknown.status_code == 404
    erased = await client.post(f"/volunteers/{volunteer_id}/erase", headers=STAFF)
    assert erased.status_code == 200
    gone = await client.post(path, headers=STAFF)
    assert gone.status_code == 404
    assert gone.json()["error"] == "erased"


async def test_a_link_made_before_erasure_signs_no_one_in(client: httpx.AsyncClient) -> None:
    volunteer_id = await register(client)
    link = await sign_in_link(client, volunteer_id)
    await client.post(f"/volunteers/{volunteer_id}/erase", headers=STAFF)
    assert (await client.post("/me/sign-in", data={"token": code_of(link)})).status_code == 410


async def test_without_a_session_the_page_says_to_open_the_link_again(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/me")
    assert page.status_code == 401
    assert page.headers["content-type"].startswith("text/html")
    assert "Opne den personlege innloggingslenkja di" in page.text
    client.cookies.set("tvers_volunteer_session", "made-up")
    assert (await client.get("/me")).status_code == 401
    for bad in ("/me/sign-in", "/me/sign-in?token=", f"/me/sign-in?token={'x' * 200}"):
        assert (await client.get(bad)).status_code == 410, bad
    assert (await client.post("/me/sign-in", data={"token": "made-up"})).status_code == 410


async def test_a_form_without_the_sessions_token_or_from_another_site_changes_nothing(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, app: FastAPI
) -> None:
    volunteer_id = await register(client)
    await sign_in(client, volunteer_id)
    fields = await form_fields(client)
    stored = await events(app)

    missing = await client.post("/me/erase", data={"confirm": "yes"})
    assert missing.status_code == 403
    assert "Skjemaet var for gammalt" in missing.text
    wrong = await client.post("/me/erase", data={**fields, "form_token": "x", "confirm": "yes"})
    assert wrong.status_code == 403
    cross_site = await client.post(
        "/me/erase", data={**fields, "confirm": "yes"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross_site.status_code == 403
    not_a_form = await client.post("/me/erase", json={**fields, "confirm": "yes"})
    assert not_a_form.status_code == 415
    twice = await client.post(
        "/me/erase",
        content=f"form_token={fields['form_token']}&form_token=x&confirm=yes",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert twice.status_code == 400
    # The token without the cookie: another browser is not signed in.
    no_cookie = await browser.post("/me/erase", data={**fields, "confirm": "yes"})
    assert no_cookie.status_code == 401

    assert await events(app) == stored
    person = await client.get(f"/volunteers/{volunteer_id}/personal-data", headers=STAFF)
    assert person.status_code == 200


async def test_a_volunteer_never_acts_for_another(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, app: FastAPI
) -> None:
    mine = await register(client)
    theirs = await register(client, {**REGISTRATION, "name": "Kari Brekke"})
    await sign_in(client, mine)
    await sign_in(browser, theirs)
    their_fields = await form_fields(browser)
    stored = await events(app)

    # Their form token under my cookie is no form of mine.
    refused = await client.post("/me/erase", data={**their_fields, "confirm": "yes"})
    assert refused.status_code == 403
    assert await events(app) == stored
    # My page shows me only.
    page = (await client.get("/me")).text
    assert REGISTRATION["name"] in page
    assert "Kari Brekke" not in page
    # The page's cookie is no token for the JSON API.
    api = await client.get(f"/volunteers/{mine}/personal-data")
    assert api.status_code == 401


async def test_signing_out_ends_the_session(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    volunteer_id = await register(client)
    await sign_in(client, volunteer_id)
    browser.cookies.set("tvers_volunteer_session", client.cookies["tvers_volunteer_session"])
    fields = await form_fields(client)
    out = await client.post("/me/sign-out", data=fields)
    assert out.status_code == 200
    assert "Du er logga ut" in out.text
    assert 'tvers_volunteer_session=""' in out.headers["set-cookie"]
    assert "tvers_volunteer_session" not in client.cookies
    assert (await browser.get("/me")).status_code == 401


async def test_a_volunteer_erases_themself_after_ticking_the_box(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, app: FastAPI
) -> None:
    volunteer_id = await register(client)
    await sign_in(client, volunteer_id)
    await sign_in(browser, volunteer_id)  # the same volunteer on another device
    spare = await sign_in_link(client, volunteer_id)
    confirm = await client.get("/me/erase")
    assert confirm.status_code == 200
    assert "Dette kan ikkje gjerast om." in confirm.text
    fields = hidden_fields(confirm.text)
    stored = await events(app)

    unticked = await client.post("/me/erase", data=fields)
    assert unticked.status_code == 422
    assert "Kryss av i boksen" in unticked.text
    assert await events(app) == stored

    erased = await client.post("/me/erase", data={**fields, "confirm": "yes"})
    assert erased.status_code == 200, erased.text
    assert "Opplysningane dine er sletta" in erased.text
    assert all(piece not in erased.text for piece in IN_CLEAR)
    assert await events(app) == stored + 1
    person = await client.get(f"/volunteers/{volunteer_id}/personal-data", headers=STAFF)
    assert person.json()["error"] == "erased"
    assert (await client.get("/me")).status_code == 401
    assert (await browser.get("/me")).status_code == 401
    assert (await client.get(spare)).status_code == 410


async def test_the_log_holds_ids_only_never_the_name_contact_or_the_links_code(
    client: httpx.AsyncClient, service_log: Callable[[], str]
) -> None:
    volunteer_id = await register(client)
    link = await sign_in_link(client, volunteer_id)
    await client.get(link)
    assert (await client.post("/me/sign-in", data={"token": code_of(link)})).status_code == 303
    page = await client.get("/me")
    assert REGISTRATION["name"] in page.text
    await client.post("/me/sign-out", data=hidden_fields(page.text))

    written = service_log()
    assert "sign_in_link_created" in written
    assert "page_signed_in" in written
    assert "personal_data_read" in written
    assert volunteer_id in written
    assert code_of(link) not in written
    assert [piece for piece in IN_CLEAR if piece in written] == []


async def test_behind_an_https_address_the_link_points_there_and_the_cookie_is_secure(
    database_url: str, nats_server: NatsUnderTest
) -> None:
    settings = volunteers_settings(
        database_url, nats_server.url, public_url="https://frivillig.example.no"
    )
    async with running(build_app(settings)) as served:
        volunteer_id = await register(served)
        made = await served.post(f"/volunteers/{volunteer_id}/sign-in-link", headers=STAFF)
        url = made.json()["url"]
        assert url.startswith("https://frivillig.example.no/me/sign-in?token="), url
        signed = await served.post("/me/sign-in", data={"token": url.partition("token=")[2]})
        assert signed.status_code == 303
        assert "secure" in signed.headers["set-cookie"].lower()
