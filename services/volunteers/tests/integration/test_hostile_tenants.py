"""Hostile tests: one deployment serves several municipalities (every token and event names its
tenant), and ids travel (a shift id in a link, a volunteer id in a list). Staff of another
municipality, or its volunteers, holding an id of ours can neither see nor change anything of
ours: the answer is the same 404 an unknown id gets, and nothing is appended.

Each test here showed a defect found by hand before it was fixed: the streams are keyed by id
alone, and the service read and appended to another municipality's."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.people import REGISTRATION, eligible_volunteer
from tvers_volunteers.testing.shifts import publish_shift

pytestmark = pytest.mark.servers
OURS = bearer(Role.STAFF)  # Ålesund, 1508
THEIRS = bearer(Role.STAFF, tenant="1532")  # Giske
START = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


async def event_count(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    return count


@pytest.fixture(autouse=True)
async def both_know_skodje(app: FastAPI, client: httpx.AsyncClient) -> None:
    """Both municipalities have a branch called skodje (slugs are theirs to choose)."""
    await learn_branches(app, "skodje")
    await learn_branches(app, "skodje", tenant="1532")


async def their_volunteer(client: httpx.AsyncClient) -> str:
    response = await client.post("/volunteers", json=REGISTRATION, headers=THEIRS)
    assert response.status_code == 201, response.text
    volunteer_id: str = response.json()["volunteer_id"]
    for path, field in (("police-certificate", "shown_on"), ("introduction", "completed_on")):
        on = datetime.now(UTC).date().isoformat()
        done = await client.post(
            f"/volunteers/{volunteer_id}/{path}", json={field: on}, headers=THEIRS
        )
        assert done.status_code == 200, done.text
    return volunteer_id


def requests_on_a_volunteer(volunteer_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    today = datetime.now(UTC).date().isoformat()
    base = f"/volunteers/{volunteer_id}"
    return [
        ("GET", base, None),
        ("GET", f"{base}/personal-data", None),
        ("GET", f"{base}/shifts", None),
        ("GET", f"{base}/hours", None),
        ("GET", f"{base}/certificates", None),
        ("GET", f"{base}/certificates/2/pdf", None),
        ("POST", f"{base}/sign-in-link", None),
        ("POST", f"{base}/police-certificate", {"shown_on": today}),
        ("POST", f"{base}/introduction", {"completed_on": today}),
        ("POST", f"{base}/deactivate", None),
        ("POST", f"{base}/reactivate", None),
        ("POST", f"{base}/certificates", {"period_from": today, "period_to": today}),
        ("POST", f"{base}/erase", None),
    ]


async def test_another_municipalitys_staff_neither_see_nor_change_our_volunteer(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ours, _ = await eligible_volunteer(client)
    before = await event_count(app)
    answers = {
        f"{method} {path}": await client.request(method, path, json=body, headers=THEIRS)
        for method, path, body in requests_on_a_volunteer(str(ours))
    }
    wrong = {
        what: (r.status_code, r.text[:120]) for what, r in answers.items() if r.status_code != 404
    }
    assert not wrong, wrong
    assert all(r.json()["error"] == "not_found" for r in answers.values())
    assert await event_count(app) == before
    links = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM volunteer_sign_in_links"
    )
    assert links == 0
    mine = await client.get(f"/volunteers/{ours}/personal-data", headers=OURS)
    assert (mine.status_code, mine.json()["name"]) == (200, REGISTRATION["name"])


async def test_another_municipalitys_staff_neither_see_nor_change_our_shift(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish_shift(client, START, capacity=2)
    ours, _ = await eligible_volunteer(client)
    held = await client.post(
        f"/shifts/{shift_id}/claims", json={"volunteer_id": str(ours)}, headers=OURS
    )
    assert held.status_code == 201, held.text
    theirs = await their_volunteer(client)
    before = await event_count(app)
    base = f"/shifts/{shift_id}"
    requests: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", base, None),
        ("POST", f"{base}/claims", {"volunteer_id": theirs}),
        ("POST", f"{base}/claims", {"volunteer_id": theirs, "or_wait": True}),
        ("POST", f"{base}/waitlist", {"volunteer_id": theirs}),
        ("POST", f"{base}/release", {"volunteer_id": str(ours)}),
        ("POST", f"{base}/check-in", {"volunteer_id": str(ours)}),
        ("POST", f"{base}/check-out", {"volunteer_id": str(ours)}),
        (
            "POST",
            f"{base}/corrections",
            {
                "volunteer_id": str(ours),
                "checked_in_at": START.isoformat(),
                "checked_out_at": (START + timedelta(hours=1)).isoformat(),
                "reason": "forgot_check_in",
            },
        ),
        ("POST", f"{base}/confirm", None),
        ("POST", f"{base}/withdraw", None),
        ("POST", f"{base}/cancel", None),
    ]
    answers = {
        f"{method} {path} {body}": await client.request(method, path, json=body, headers=THEIRS)
        for method, path, body in requests
    }
    their_own = bearer(Role.VOLUNTEER, tenant="1532", volunteer_id=UUID(theirs))
    answers["their volunteer claims"] = await client.post(
        f"{base}/claims", json={}, headers=their_own
    )
    wrong = {
        what: (r.status_code, r.text[:120]) for what, r in answers.items() if r.status_code != 404
    }
    assert not wrong, wrong
    assert await event_count(app) == before
    listed = await client.get("/shifts", headers=THEIRS)
    assert listed.json() == []


async def test_our_staff_cannot_put_another_municipalitys_volunteer_on_our_shift(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish_shift(client, START, capacity=1)
    theirs = await their_volunteer(client)
    before = await event_count(app)
    claimed = await client.post(
        f"/shifts/{shift_id}/claims", json={"volunteer_id": theirs}, headers=OURS
    )
    assert (claimed.status_code, claimed.json()["error"]) == (404, "not_found"), claimed.text
    assert await event_count(app) == before


async def test_each_municipality_keeps_its_own_hosting_rule_for_a_branch_of_the_same_name(
    client: httpx.AsyncClient,
) -> None:
    ours = await client.put(
        "/branches/skodje/hosting-rule", json={"hosts": 3, "minimum_hosts": 1}, headers=OURS
    )
    theirs = await client.put(
        "/branches/skodje/hosting-rule", json={"hosts": 1, "minimum_hosts": 1}, headers=THEIRS
    )
    assert (ours.status_code, theirs.status_code) == (200, 200), (ours.text, theirs.text)
    read_ours = await client.get("/branches/skodje/hosting-rule", headers=OURS)
    read_theirs = await client.get("/branches/skodje/hosting-rule", headers=THEIRS)
    assert (read_ours.json()["hosts"], read_theirs.json()["hosts"]) == (3, 1)
