"""Hostile tests of the volunteers API's and page's input: bad values sent by hand get a 4xx that
says what was wrong, and nothing is appended.

Each test here showed a defect found by hand before it was fixed."""

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.page import form_fields, sign_in
from tvers_volunteers.testing.people import eligible_volunteer

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)


async def event_count(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    return count


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "skodje")


FAR = [("0001-01-01", "0001-01-02"), ("9999-12-01", "9999-12-31"), ("1900-01-01", "1900-01-31")]


@pytest.mark.parametrize(("first", "last"), FAR, ids=["year-1", "year-9999", "year-1900"])
@pytest.mark.parametrize("what", ["hours", "shifts"])
async def test_hours_and_shifts_of_dates_far_away_are_refused_with_the_reason(
    client: httpx.AsyncClient, what: str, first: str, last: str
) -> None:
    volunteer_id, token = await eligible_volunteer(client)
    for headers in (STAFF, token):
        answer = await client.get(
            f"/volunteers/{volunteer_id}/{what}",
            params={"from": first, "to": last},
            headers=headers,
        )
        assert answer.status_code == 422, answer.text
        assert "100 years" in answer.json()["detail"]


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T00:00:00Z", "1900-01-01T00:00:00Z"]
)
async def test_a_listing_of_shifts_from_a_moment_far_away_is_refused_with_the_reason(
    client: httpx.AsyncClient, moment: str
) -> None:
    answer = await client.get("/shifts", params={"from": moment}, headers=STAFF)
    assert answer.status_code == 422, answer.text
    assert "100 years" in answer.json()["detail"]


@pytest.mark.parametrize(("first", "last"), FAR, ids=["year-1", "year-9999", "year-1900"])
async def test_a_certificate_for_a_period_far_away_is_refused_and_appends_nothing(
    client: httpx.AsyncClient, app: FastAPI, first: str, last: str
) -> None:
    volunteer_id, token = await eligible_volunteer(client)
    before = await event_count(app)
    for headers in (STAFF, token):
        answer = await client.post(
            f"/volunteers/{volunteer_id}/certificates",
            json={"period_from": first, "period_to": last},
            headers=headers,
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"] == "rule_violated"
    assert await event_count(app) == before


@pytest.mark.parametrize(("first", "last"), FAR, ids=["year-1", "year-9999", "year-1900"])
async def test_the_page_refuses_a_certificate_for_a_period_far_away_in_words(
    client: httpx.AsyncClient, app: FastAPI, first: str, last: str
) -> None:
    volunteer_id, _ = await eligible_volunteer(client)
    await sign_in(client, volunteer_id)
    fields = await form_fields(client)
    before = await event_count(app)
    answer = await client.post(
        "/me/certificates", data={**fields, "period_from": first, "period_to": last}
    )
    assert answer.status_code == 422, answer.text
    assert 'role="alert"' in answer.text
    assert await event_count(app) == before


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/shifts", {"from": "0.0"}),
        ("/shifts", {"to": "1900000000"}),
        ("/campaigns", {"active_on": "0.0"}),
        ("/volunteers/{volunteer_id}/hours", {"from": "1700000000"}),
        ("/volunteers/{volunteer_id}/shifts", {"to": "1e9"}),
    ],
)
async def test_a_date_in_a_query_written_as_a_number_is_refused(
    client: httpx.AsyncClient, path: str, query: dict[str, str]
) -> None:
    """Not taken as seconds since 1970: the fuzzer with more examples found ``?from=0.0``
    accepted as 1 January 1970."""
    volunteer_id, _ = await eligible_volunteer(client)
    answer = await client.get(path.format(volunteer_id=volunteer_id), params=query, headers=STAFF)
    assert answer.status_code == 422, answer.text
    assert "ISO 8601" in str(answer.json()["detail"])


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 500 + b"]" * 500,
        b'{"branch_id": "skodje", "capacity": ' + b"[" * 500 + b"]" * 500 + b"}",
        b'{"branch_id": "skodje", "x": ' + b'{"a": ' * 400 + b"1" + b"}" * 400 + b"}",
    ],
    ids=["arrays", "arrays-in-a-field", "objects-in-a-field"],
)
async def test_a_body_nested_hundreds_deep_is_refused_with_a_4xx(
    client: httpx.AsyncClient, app: FastAPI, body: bytes
) -> None:
    """Valid JSON (the decoder takes about a thousand levels), but the check for text that
    cannot be stored walked it by recursion and ran out of stack: a 500."""
    before = await event_count(app)
    answer = await client.post(
        "/shifts", content=body, headers={**STAFF, "Content-Type": "application/json"}
    )
    assert answer.status_code == 422, answer.text
    assert await event_count(app) == before
