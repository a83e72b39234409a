"""What a volunteer does on the self-service page, over HTTP on a real PostgreSQL: claim an open
shift or join the waitlist of a full one, leave it, give a shift up, check in and out in the
window, issue a certificate and open its PDF; refusals and bad input answered with a 4xx page in
words, in nynorsk or English, with nothing appended."""

import io
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from pypdf import PdfReader

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.page import form_fields, sign_in
from tvers_volunteers.testing.people import REGISTRATION, eligible_volunteer, register
from tvers_volunteers.testing.shifts import publish_shift

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
#: Shifts lie from here on; the service's clock starts a little later, at the test.
START = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "skodje")


async def events(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    return count


async def shift(client: httpx.AsyncClient, shift_id: str) -> dict[str, object]:
    response = await client.get(f"/shifts/{shift_id}", headers=STAFF)
    assert response.status_code == 200, response.text
    found: dict[str, object] = response.json()
    return found


def section(page: str, heading_id: str) -> str:
    """The part of the page under one section's heading, up to the next section."""
    start = page.index(f'id="{heading_id}"')
    end = page.find("<section", start)
    return page[start : end if end != -1 else len(page)]


async def post(client: httpx.AsyncClient, path: str, **fields: str) -> httpx.Response:
    """Send one of the page's forms, as the page renders it now."""
    return await client.post(path, data={**await form_fields(client), **fields})


async def test_a_volunteer_claims_an_open_shift_and_checks_in_and_out_in_the_window(
    client: httpx.AsyncClient, clock: SteppedClock, app: FastAPI
) -> None:
    starts = START + timedelta(days=1)
    shift_id = await publish_shift(client, starts)
    volunteer_id, _ = await eligible_volunteer(client)
    await sign_in(client, volunteer_id)
    page = (await client.get("/me")).text
    assert shift_id in section(page, "open-heading")
    assert "Ta vakta" in section(page, "open-heading")
    assert "Du har ingen vakter framover" in section(page, "mine-heading")

    claimed = await post(client, f"/me/shifts/{shift_id}/claim")
    assert claimed.status_code == 303
    assert claimed.headers["location"] == "/me?done=claimed#mine"
    page = (await client.get(claimed.headers["location"])).text
    assert "Du har fått vakta. Takk!" in page
    assert shift_id in section(page, "mine-heading")
    assert shift_id not in section(page, "open-heading")
    assert "Innsjekkinga opnar klokka" in section(page, "mine-heading")
    assert "Sjekk inn" not in page
    assert (await shift(client, shift_id))["volunteers"] == [str(volunteer_id)]

    clock.now = starts - timedelta(minutes=10)
    assert "Sjekk inn" in section((await client.get("/me")).text, "mine-heading")
    checked_in = await post(client, f"/me/shifts/{shift_id}/check-in")
    assert checked_in.headers["location"] == "/me?done=checked_in#mine"
    page = (await client.get("/me?done=checked_in")).text
    assert "Du sjekka inn klokka" in section(page, "mine-heading")
    clock.now = starts + timedelta(hours=2)
    checked_out = await post(client, f"/me/shifts/{shift_id}/check-out")
    assert checked_out.headers["location"] == "/me?done=checked_out#mine"
    page = (await client.get("/me")).text
    assert shift_id not in page
    assert "2,1 timar" in section(page, "hours-heading")
    hours = await client.get(f"/volunteers/{volunteer_id}/hours", headers=STAFF)
    assert hours.json()["minutes"] == 130


async def test_a_full_shift_puts_the_volunteer_on_its_waitlist_which_they_can_leave(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish_shift(client, START + timedelta(days=2), capacity=1)
    holder, token = await eligible_volunteer(client)
    assert (await client.post(f"/shifts/{shift_id}/claims", headers=token)).status_code == 201
    waiting, _ = await eligible_volunteer(client)
    await sign_in(client, waiting)
    page = (await client.get("/me")).text
    assert "Full; 0 på ventelista" in section(page, "open-heading")
    assert "Set meg på ventelista" in section(page, "open-heading")

    joined = await post(client, f"/me/shifts/{shift_id}/claim")
    assert joined.headers["location"] == "/me?done=waiting#mine"
    page = (await client.get(joined.headers["location"])).text
    assert "Du er nummer 1 på ventelista." in section(page, "mine-heading")
    assert (await shift(client, shift_id))["waitlist"] == [str(waiting)]
    left = await post(client, f"/me/shifts/{shift_id}/leave-waitlist")
    assert left.headers["location"] == "/me?done=left_waitlist#mine"
    assert (await shift(client, shift_id))["waitlist"] == []
    assert (await shift(client, shift_id))["volunteers"] == [str(holder)]


async def test_a_released_place_goes_to_the_first_on_the_waitlist(
    client: httpx.AsyncClient,
) -> None:
    shift_id = await publish_shift(client, START + timedelta(days=2), capacity=1)
    holder, _ = await eligible_volunteer(client)
    waiting, token = await eligible_volunteer(client)
    await sign_in(client, holder)
    assert (await post(client, f"/me/shifts/{shift_id}/claim")).status_code == 303
    joined = await client.post(f"/shifts/{shift_id}/waitlist", headers=token)
    assert joined.status_code == 201
    released = await post(client, f"/me/shifts/{shift_id}/release")
    assert released.headers["location"] == "/me?done=released#mine"
    assert (await shift(client, shift_id))["volunteers"] == [str(waiting)]


async def test_a_form_sent_twice_is_one_action(client: httpx.AsyncClient, app: FastAPI) -> None:
    shift_id = await publish_shift(client, START + timedelta(days=2))
    volunteer_id, _ = await eligible_volunteer(client)
    await sign_in(client, volunteer_id)
    fields = await form_fields(client)
    first = await client.post(f"/me/shifts/{shift_id}/claim", data=fields)
    stored = await events(app)
    second = await client.post(f"/me/shifts/{shift_id}/claim", data=fields)
    assert first.status_code == second.status_code == 303
    assert await events(app) == stored


async def test_a_refusal_is_a_4xx_page_in_words_and_appends_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    starts = START + timedelta(days=1)
    hosting = await publish_shift(client, starts)
    volunteer_id = await register(client)  # not yet eligible to host
    await sign_in(client, volunteer_id)
    page = (await client.get("/me")).text
    assert "Før du kan vere vert" in page
    assert "Vis politiattesten din til frivilligsentralen." in page
    assert "For å vere vert må du ha vist politiattest" in section(page, "open-heading")
    stored = await events(app)

    refused = await post(client, f"/me/shifts/{hosting}/claim")
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in refused.text
    assert "Berre bibliotekvenner som har vist politiattest" in refused.text
    assert REGISTRATION["name"] in refused.text  # the page again, with the refusal on it
    early = await post(client, f"/me/shifts/{hosting}/check-in")
    assert early.status_code == 409
    assert "Du har ikkje denne vakta." in early.text
    unknown = await post(client, f"/me/shifts/{uuid4()}/claim")
    assert unknown.status_code == 404
    assert "Vi finn ikkje den vakta." in unknown.text
    not_an_id = await post(client, "/me/shifts/not-an-id/claim")
    assert not_an_id.status_code == 404
    assert "Her er det ingenting." in not_an_id.text
    mistyped = await client.get(f"/me/shifts/{hosting}")
    assert mistyped.status_code == 404
    assert "Her er det ingenting." in mistyped.text
    bad_dates = await post(client, "/me/certificates", period_from="i fjor", period_to="")
    assert bad_dates.status_code == 422
    assert "Skriv datoane som år-månad-dag" in bad_dates.text
    backwards = await post(
        client, "/me/certificates", period_from="2026-02-01", period_to="2026-01-01"
    )
    assert backwards.status_code == 422
    assert "Perioden kan ikkje slutte før han byrjar." in backwards.text
    no_hours = await post(
        client, "/me/certificates", period_from="2025-01-01", period_to="2025-01-31"
    )
    assert no_hours.status_code == 409
    assert "Du har ingen timar i den perioden" in no_hours.text
    assert "Traceback" not in no_hours.text
    assert await events(app) == stored


async def test_check_in_before_its_window_says_when_it_opens(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish_shift(client, START + timedelta(days=1))
    volunteer_id, _ = await eligible_volunteer(client)
    await sign_in(client, volunteer_id)
    assert (await post(client, f"/me/shifts/{shift_id}/claim")).status_code == 303
    stored = await events(app)
    early = await post(client, f"/me/shifts/{shift_id}/check-in")
    assert early.status_code == 409
    assert "Innsjekkinga opnar" in early.text
    assert await events(app) == stored


async def test_the_page_speaks_english_when_asked_and_keeps_to_it(
    client: httpx.AsyncClient,
) -> None:
    shift_id = await publish_shift(client, START + timedelta(days=1))
    volunteer_id, _ = await eligible_volunteer(client)
    await sign_in(client, volunteer_id)
    english = await client.get("/me?lang=en")
    assert '<html lang="en">' in english.text
    assert "Open shifts" in english.text
    assert "Take the shift" in english.text
    assert 'lang="nn"' in english.text  # the switch back, marked as nynorsk
    refused = await post(client, f"/me/shifts/{shift_id}/release")
    assert refused.status_code == 404
    assert "You do not have this shift." in refused.text
    assert '<html lang="en">' in refused.text
    assert 'href="/me?lang=nn"' in refused.text  # the switch leads to the page, not the form
    back = await client.get("/me?lang=nn")
    assert '<html lang="nn">' in back.text
    assert "Ledige vakter" in back.text


async def test_a_certificate_issued_on_the_page_opens_as_a_pdf_of_the_volunteer_only(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    starts = START + timedelta(days=1)
    shift_id = await publish_shift(client, starts, hours=2.5)
    volunteer_id, token = await eligible_volunteer(
        client, body={**REGISTRATION, "name": "Åse Ærø Bjørnstad"}
    )
    assert (await client.post(f"/shifts/{shift_id}/claims", headers=token)).status_code == 201
    clock.now = starts
    assert (await client.post(f"/shifts/{shift_id}/check-in", headers=token)).status_code == 200
    clock.now = starts + timedelta(hours=2, minutes=30)
    assert (await client.post(f"/shifts/{shift_id}/check-out", headers=token)).status_code == 200
    await sign_in(client, volunteer_id)
    fields = await form_fields(client)
    page = (await client.get("/me")).text
    # The shift may run past Oslo midnight (the test runs at any hour): the period covers both.
    first_day = starts.astimezone(OSLO).date().isoformat()
    day = clock.now.astimezone(OSLO).date().isoformat()
    assert f'value="{day[:4]}-01-01"' in page

    issued = await client.post(
        "/me/certificates", data={**fields, "period_from": first_day, "period_to": day}
    )
    assert issued.status_code == 303, issued.text
    assert issued.headers["location"] == "/me?done=certificate#certificates"
    page = (await client.get(issued.headers["location"])).text
    assert "Attesten din er klar" in page
    assert "2,5 timar" in section(page, "certificates-heading")
    listed = await client.get(f"/volunteers/{volunteer_id}/certificates", headers=STAFF)
    number = listed.json()[0]["number"]
    assert f'href="/me/certificates/{number}/pdf"' in page

    pdf = await client.get(f"/me/certificates/{number}/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Åse Ærø Bjørnstad" in text

    other = await register(client)
    await sign_in(client, other)
    theirs = await client.get(f"/me/certificates/{number}/pdf")
    assert theirs.status_code == 404
    assert "Åse" not in theirs.text
