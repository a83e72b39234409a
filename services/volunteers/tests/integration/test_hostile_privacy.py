"""Hostile tests of where a volunteer's name, e-mail and phone may end up: in no event, log line
(at DEBUG), error body, address or page but the person's own, and nowhere once erased; and where
a staff member's e-mail address, used as a token's subject, may end up: nowhere.

The first two tests showed defects found by hand before they were fixed; the journey held."""

import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.logging import configure_logging
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.page import form_fields, sign_in, sign_in_link
from tvers_volunteers.testing.people import IN_CLEAR, REGISTRATION, eligible_volunteer, register
from tvers_volunteers.testing.shifts import publish_shift

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
STAFF_ADDRESS = "kari.nordmann@alesund.kommune.no"


@pytest.fixture
def service_log(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[[], str]]:
    """The service's log lines as it writes them (JSON, every level, DEBUG too), from here on;
    not the test's own HTTP client's, which logs the addresses it calls."""
    root, test_client = logging.getLogger(), logging.getLogger("httpx")
    handlers, level, client_level = root.handlers[:], root.level, test_client.level
    configure_logging(service="volunteers", level="DEBUG", json=True)
    test_client.setLevel(logging.WARNING)
    capsys.readouterr()
    yield lambda: capsys.readouterr().err
    root.handlers, root.level = handlers, level
    test_client.setLevel(client_level)


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "skodje")


def in_clear(text: str) -> list[str]:
    lowered = text.lower()
    return [piece for piece in (*IN_CLEAR, "kvalsvik") if piece.lower() in lowered]


@pytest.mark.parametrize(
    "email",
    [
        "synnove@[IPv6:kvalsvik]",
        "synnove@[kvalsvik.1]",
        "synnove@xn--kvalsvik-lesund.no",
        "synnove.kvalsvik@" + "kvalsvik" * 9 + ".no",
    ],
)
async def test_an_address_refused_is_not_quoted_back_in_the_error(
    client: httpx.AsyncClient, app: FastAPI, email: str
) -> None:
    refused = await client.post("/volunteers", json={**REGISTRATION, "email": email}, headers=STAFF)
    assert refused.status_code == 422, refused.text
    assert "not a valid email address" in refused.text
    assert in_clear(refused.text) == []


async def test_a_staff_token_whose_subject_is_an_e_mail_address_reads_no_one_and_is_logged_nowhere(
    client: httpx.AsyncClient, service_log: Callable[[], str]
) -> None:
    volunteer_id = await register(client)
    addressed = bearer(Role.STAFF, subject=STAFF_ADDRESS)
    for method, path in (
        ("GET", f"/volunteers/{volunteer_id}/personal-data"),
        ("POST", f"/volunteers/{volunteer_id}/sign-in-link"),
        ("GET", f"/volunteers/{volunteer_id}/certificates/2/pdf"),
    ):
        answer = await client.request(method, path, headers=addressed)
        assert (answer.status_code, answer.json()["error"]) == (403, "forbidden"), answer.text
        assert "opaque" in answer.json()["detail"]
    assert STAFF_ADDRESS not in service_log()


async def test_a_volunteers_journey_leaves_their_data_nowhere_but_their_own_page(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock, service_log: Callable[[], str]
) -> None:
    """Registered, signed in, claims and serves a shift, issues a certificate, erases themself:
    the service's DEBUG log, the error bodies, the addresses, another volunteer's page and staff's
    views hold nothing of them; afterwards no table, session or link does either."""
    other_id, _ = await eligible_volunteer(
        client, body={**REGISTRATION, "name": "Ola Hansen", "email": "ola@example.no"}
    )
    seen: list[str] = []
    for bad in ({"email": "synnove.kvalsvik@@example.no"}, {"phone": "+47 415 26 378 ring"}):
        refused = await client.post("/volunteers", json={**REGISTRATION, **bad}, headers=STAFF)
        assert refused.status_code == 422
        seen.append(refused.text)
    volunteer_id, _ = await eligible_volunteer(client)
    starts = clock() + timedelta(days=1)
    shift_id = await publish_shift(client, starts)

    await sign_in(client, volunteer_id)
    fields = await form_fields(client)
    claimed = await client.post(f"/me/shifts/{shift_id}/claim", data=fields)
    assert claimed.status_code == 303, claimed.text
    seen.append(claimed.headers["location"])
    for action, at in (("check-in", 5), ("check-out", 65)):
        clock.now = starts + timedelta(minutes=at)
        done = await client.post(f"/me/shifts/{shift_id}/{action}", data=await form_fields(client))
        assert done.status_code == 303, done.text
        seen.append(done.headers["location"])
    clock.now = starts + timedelta(days=1)
    today = clock().astimezone(OSLO).date()
    issued = await client.post(
        "/me/certificates",
        data={
            **await form_fields(client),
            "period_from": (today - timedelta(days=2)).isoformat(),
            "period_to": today.isoformat(),
        },
    )
    assert issued.status_code == 303, issued.text
    seen.append(issued.headers["location"])
    own = await client.get("/me")
    assert REGISTRATION["name"] in own.text  # their own page shows them their name

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://service"
    ) as another_phone:
        await sign_in(another_phone, other_id)
        seen.append((await another_phone.get("/me")).text)
    for path in (f"/shifts/{shift_id}", f"/volunteers/{volunteer_id}/shifts", "/shifts"):
        seen.append((await client.get(path, headers=STAFF)).text)  # noqa: PERF401
    seen.append(await sign_in_link(client, volunteer_id))
    assert in_clear("\n".join(seen)) == []

    erased = await client.post("/me/erase", data={**await form_fields(client), "confirm": "yes"})
    assert erased.status_code == 200, erased.text
    pool = app.state.infrastructure.pool
    left: dict[str, Any] = {
        "sessions": await pool.fetchval(
            "SELECT count(*) FROM volunteer_page_sessions WHERE volunteer_id = $1", volunteer_id
        ),
        "links": await pool.fetchval(
            "SELECT count(*) FROM volunteer_sign_in_links WHERE volunteer_id = $1", volunteer_id
        ),
    }
    assert left == {"sessions": 0, "links": 0}
    assert (await client.get("/me")).status_code == 401
    tables = await pool.fetch(
        "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    )
    for table in tables:
        text = await pool.fetchval(
            f"SELECT coalesce(string_agg(t::text, ' '), '') FROM {table['name']} t"
        )
        assert in_clear(text) == [], table["name"]
    written = service_log()
    assert "personal_data_read" in written
    assert in_clear(written) == []
