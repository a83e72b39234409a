"""Certificates over HTTP on a real PostgreSQL: issued for a period's time served, listed, and
printed as a PDF that holds the name, the period and the hours with æ, ø and å intact; and
after erasure, no longer printable while the hours still count."""

import io
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from pypdf import PdfReader

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.people import REGISTRATION, eligible_volunteer
from tvers_volunteers.testing.shifts import publish_shift

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
#: Shifts lie from here on; the service's clock starts a little later, at the test.
START = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "skodje")


async def served_a_shift(
    client: httpx.AsyncClient, clock: SteppedClock, name: str
) -> tuple[str, dict[str, str], str]:
    """A volunteer called ``name`` who served 2 h 30 on a shift; their id, token and the day."""
    starts = START + timedelta(days=1)
    shift_id = await publish_shift(client, starts, hours=2.5)
    volunteer_id, token = await eligible_volunteer(client, body={**REGISTRATION, "name": name})
    assert (await client.post(f"/shifts/{shift_id}/claims", headers=token)).status_code == 201
    clock.now = starts
    assert (await client.post(f"/shifts/{shift_id}/check-in", headers=token)).status_code == 200
    clock.now = starts + timedelta(hours=2, minutes=30)
    assert (await client.post(f"/shifts/{shift_id}/check-out", headers=token)).status_code == 200
    return str(volunteer_id), token, starts.astimezone(OSLO).date().isoformat()


async def test_a_volunteer_issues_their_certificate_and_its_pdf_says_who_when_and_how_long(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    volunteer_id, token, day = await served_a_shift(client, clock, "Åse Ærø Bjørnstad")
    issued = await client.post(
        f"/volunteers/{volunteer_id}/certificates",
        json={"period_from": day, "period_to": day},
        headers=token,
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["minutes_served"] == 150
    assert issued.json()["branches"] == ["skodje"]
    assert issued.json()["issued_by_staff"] is False
    listed = await client.get(f"/volunteers/{volunteer_id}/certificates", headers=STAFF)
    assert [c["number"] for c in listed.json()] == [issued.json()["number"]]

    pdf = await client.get(issued.json()["pdf"], headers=token)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    document = PdfReader(io.BytesIO(pdf.content))
    assert len(document.pages) >= 1
    text = " ".join(page.extract_text() for page in document.pages)
    assert "Åse Ærø Bjørnstad" in text
    assert "2,5 timar" in text
    assert str(datetime.fromisoformat(day).year) in text


async def test_a_certificate_is_refused_for_a_period_without_hours_or_not_yet_over(
    client: httpx.AsyncClient, clock: SteppedClock, app: FastAPI
) -> None:
    volunteer_id, token, day = await served_a_shift(client, clock, "Ola Nordmann")
    empty = await client.post(
        f"/volunteers/{volunteer_id}/certificates",
        json={"period_from": "2026-01-01", "period_to": "2026-01-31"},
        headers=token,
    )
    assert empty.status_code == 409
    assert "no hours were served" in empty.json()["detail"]
    future = await client.post(
        f"/volunteers/{volunteer_id}/certificates",
        json={"period_from": day, "period_to": "2099-12-31"},
        headers=token,
    )
    assert future.status_code == 422
    backwards = await client.post(
        f"/volunteers/{volunteer_id}/certificates",
        json={"period_from": day, "period_to": "2000-01-01"},
        headers=token,
    )
    assert backwards.status_code == 422
    stored = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = 'CertificateIssued'"
    )
    assert stored == 0


async def test_after_erasure_no_certificate_prints_and_the_hours_still_count(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    volunteer_id, token, day = await served_a_shift(client, clock, "Kari Ærø")
    issued = await client.post(
        f"/volunteers/{volunteer_id}/certificates",
        json={"period_from": day, "period_to": day},
        headers=STAFF,
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["issued_by_staff"] is True
    erased = await client.post(f"/volunteers/{volunteer_id}/erase", headers=token)
    assert erased.status_code == 200, erased.text
    pdf = await client.get(issued.json()["pdf"], headers=STAFF)
    assert pdf.status_code == 404
    hours = await client.get(
        f"/volunteers/{volunteer_id}/hours", params={"from": day, "to": day}, headers=STAFF
    )
    assert hours.json()["minutes"] == 150
    again = await client.post(
        f"/volunteers/{volunteer_id}/certificates",
        json={"period_from": day, "period_to": day},
        headers=STAFF,
    )
    assert again.status_code == 404


async def test_a_volunteer_sees_and_issues_no_one_elses_certificates(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    volunteer_id, _, day = await served_a_shift(client, clock, "Liv Vik")
    _, stranger = await eligible_volunteer(client)
    for response in (
        await client.get(f"/volunteers/{volunteer_id}/certificates", headers=stranger),
        await client.post(
            f"/volunteers/{volunteer_id}/certificates",
            json={"period_from": day, "period_to": day},
            headers=stranger,
        ),
        await client.get(f"/volunteers/{volunteer_id}/certificates/1/pdf", headers=stranger),
    ):
        assert response.status_code == 403
