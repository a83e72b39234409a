"""Hostile tests of places under races: commands on the same shift, on overlapping shifts and on
the same volunteer at once. Whatever the interleaving, capacity is never exceeded, no volunteer
holds two overlapping shifts or a place after leaving, and the waitlist is the order of the
stored events.

The first two tests showed defects found by hand before they were fixed; the others held."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.people import eligible_volunteer, register
from tvers_volunteers.testing.shifts import publish_shift

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
START = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "skodje")


async def shift(client: httpx.AsyncClient, shift_id: str) -> dict[str, Any]:
    response = await client.get(f"/shifts/{shift_id}", headers=STAFF)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def stored_payloads(app: FastAPI, shift_id: str) -> list[tuple[str, dict[str, Any]]]:
    rows = await app.state.infrastructure.pool.fetch(
        "SELECT event_type, payload::text AS payload FROM events WHERE stream_id = $1 "
        "ORDER BY stream_version",
        f"shift-{shift_id}",
    )
    return [(row["event_type"], json.loads(row["payload"])) for row in rows]


@pytest.mark.parametrize("leaving", ["deactivate", "erase"])
async def test_a_claim_under_way_when_its_volunteer_leaves_leaves_them_no_place(
    client: httpx.AsyncClient, app: FastAPI, leaving: str
) -> None:
    """The claim has read the volunteer as active, holds its locks and has not stored its place
    yet, when staff deactivate (or erase) the volunteer and the service gives up their future
    places: the place the claim then stores is given up too."""
    shift_id = await publish_shift(client, START)
    volunteer_id, token = await eligible_volunteer(client)
    cases = app.state.volunteers
    reached, go_on = asyncio.Event(), asyncio.Event()
    commitments: Callable[..., Awaitable[Any]] = cases.commitments

    async def held_up(*args: Any, **kwargs: Any) -> Any:
        held = await commitments(*args, **kwargs)
        reached.set()
        await go_on.wait()
        return held

    cases.commitments = held_up
    claim = asyncio.create_task(client.post(f"/shifts/{shift_id}/claims", headers=token))
    await reached.wait()
    left = await client.post(f"/volunteers/{volunteer_id}/{leaving}", headers=STAFF)
    assert left.status_code == 200, left.text
    giving_up = asyncio.create_task(cases.give_up_future_places("1508", volunteer_id))
    await asyncio.wait({giving_up}, timeout=0.5)  # without waiting for the claim, it is done
    go_on.set()
    assert (await claim).status_code == 201
    await giving_up
    assert str(volunteer_id) not in (await shift(client, shift_id))["volunteers"]


async def test_a_place_claimed_after_a_reactivation_stays_when_the_leavers_queue_is_worked_late(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """Staff deactivate a volunteer by mistake and reactivate them at once; the volunteer claims
    a shift; then the queue of leavers is worked off (late, as after a restart): the place
    claimed while active stays theirs."""
    shift_id = await publish_shift(client, START)
    volunteer_id, token = await eligible_volunteer(client)
    for undone in ("deactivate", "reactivate"):
        answer = await client.post(f"/volunteers/{volunteer_id}/{undone}", headers=STAFF)
        assert answer.status_code == 200, answer.text
    assert (await client.post(f"/shifts/{shift_id}/claims", headers=token)).status_code == 201
    assert await app.state.volunteers.give_up_future_places("1508", volunteer_id) == 0
    assert (await shift(client, shift_id))["volunteers"] == [str(volunteer_id)]


async def test_a_release_racing_a_claim_of_the_next_waiting_for_an_overlapping_shift(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """The first waiting for A claims B (overlapping A) while A's holder releases: they end up
    on one of the two, never both, and A's place goes to them or to the next able."""
    for round_ in range(4):
        starts = START + timedelta(hours=4 * round_)
        a = await publish_shift(client, starts, capacity=1)
        b = await publish_shift(client, starts + timedelta(hours=1), capacity=1)
        (_, holder), (waiting_id, waiting), (next_id, next_) = [
            await eligible_volunteer(client) for _ in range(3)
        ]
        assert (await client.post(f"/shifts/{a}/claims", headers=holder)).status_code == 201
        for token in (waiting, next_):
            joined = await client.post(f"/shifts/{a}/waitlist", headers=token)
            assert joined.status_code == 201, joined.text
        released, claimed = await asyncio.gather(
            client.post(f"/shifts/{a}/release", headers=holder),
            client.post(f"/shifts/{b}/claims", headers=waiting),
        )
        assert released.status_code == 200, released.text
        on_a, on_b = (await shift(client, a))["volunteers"], (await shift(client, b))["volunteers"]
        assert not (str(waiting_id) in on_a and str(waiting_id) in on_b)
        if claimed.status_code == 201:  # B first: A's place passed them over, to the next
            assert (on_a, on_b) == ([str(next_id)], [str(waiting_id)])
        else:  # A first: B refused as overlapping
            assert (claimed.status_code, on_a, on_b) == (409, [str(waiting_id)], [])
            assert "overlaps" in claimed.json()["detail"]


async def test_two_releases_at_once_promote_the_first_two_waiting_in_order(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish_shift(client, START, capacity=2)
    holders = [await eligible_volunteer(client) for _ in range(2)]
    waiting = [await eligible_volunteer(client) for _ in range(3)]
    for _, token in holders:
        assert (await client.post(f"/shifts/{shift_id}/claims", headers=token)).status_code == 201
    for _, token in waiting:
        assert (await client.post(f"/shifts/{shift_id}/waitlist", headers=token)).status_code == 201
    answers = await asyncio.gather(
        *(client.post(f"/shifts/{shift_id}/release", headers=token) for _, token in holders)
    )
    assert [a.status_code for a in answers] == [200, 200]
    after = await shift(client, shift_id)
    assert after["volunteers"] == [str(v) for v, _ in waiting[:2]]
    assert after["waitlist"] == [str(waiting[2][0])]


async def test_a_cancellation_among_claims_and_joins_tells_everyone_who_got_in_before_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish_shift(client, START, capacity=2, role="helper")
    crowd = [UUID(await register(client)) for _ in range(12)]
    tokens = [bearer(Role.VOLUNTEER, volunteer_id=v) for v in crowd]
    claims = [
        client.post(f"/shifts/{shift_id}/claims", json={"or_wait": True}, headers=token)
        for token in tokens
    ]
    answers = await asyncio.gather(
        *claims[:6], client.post(f"/shifts/{shift_id}/cancel", headers=STAFF), *claims[6:]
    )
    cancelled = answers[6]
    assert cancelled.status_code == 200, cancelled.text
    got_in = [a for i, a in enumerate(answers) if i != 6 and a.status_code == 201]
    refused = [a for i, a in enumerate(answers) if i != 6 and a.status_code != 201]
    assert all(a.status_code == 409 and "cancelled" in a.json()["detail"] for a in refused)
    events = await stored_payloads(app, shift_id)
    assert events[-1][0] == "ShiftCancelled"  # nothing stored after it
    told = events[-1][1]
    holders = [p["volunteer_id"] for kind, p in events if kind == "ShiftClaimed"]
    joined = [p["volunteer_id"] for kind, p in events if kind == "WaitlistJoined"]
    assert (told["volunteers"], told["waitlisted"]) == (holders, joined)
    assert len(holders) + len(joined) == len(got_in)


async def until_not_busy(client: httpx.AsyncClient, path: str, **sent: Any) -> httpx.Response:
    """POST as a client would: a documented 503 ``busy`` (too many commands wait for the same
    shift, nothing stored) is sent again after a moment, as its Retry-After asks."""
    while True:
        answer = await client.post(path, **sent)
        if answer.status_code != 503 or answer.json().get("error") != "busy":
            return answer
        await asyncio.sleep(0.2)


@pytest.mark.slow
async def test_fifty_claims_or_waits_for_two_overlapping_shifts_by_one_crowd(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """Each of fifty volunteers asks for a place on both of two overlapping shifts at once
    (take it or wait). No one holds both, neither is over capacity, everyone ends up holding
    or waiting, the waitlists are the order of the stored events, and releases promote only
    those not holding the other shift."""
    a = await publish_shift(client, START, capacity=3, role="helper")
    b = await publish_shift(client, START + timedelta(hours=1), capacity=3, role="helper")
    crowd = [UUID(await register(client)) for _ in range(50)]
    tokens = {v: bearer(Role.VOLUNTEER, volunteer_id=v) for v in crowd}
    requests = [
        until_not_busy(client, f"/shifts/{s}/claims", json={"or_wait": True}, headers=tokens[v])
        for v in crowd
        for s in (a, b)
    ]
    answers = await asyncio.gather(*requests)
    refused = [a.json() for a in answers if a.status_code != 201]
    assert all(r["error"] == "conflict" and "overlaps" in r["detail"] for r in refused), refused
    shifts = {s: await shift(client, s) for s in (a, b)}
    held = {s: set(shifts[s]["volunteers"]) for s in (a, b)}
    assert len(held[a]) == len(held[b]) == 3
    assert not held[a] & held[b]
    for s in (a, b):
        events = await stored_payloads(app, s)
        joined = [p["volunteer_id"] for kind, p in events if kind == "WaitlistJoined"]
        assert shifts[s]["waitlist"] == joined
    on_some = held[a] | held[b] | set(shifts[a]["waitlist"]) | set(shifts[b]["waitlist"])
    assert on_some == {str(v) for v in crowd}
    # Every holder of A gives up their place at once: B's holders waiting for A are passed over.
    releases = await asyncio.gather(
        *(until_not_busy(client, f"/shifts/{a}/release", headers=tokens[UUID(v)]) for v in held[a])
    )
    assert all(r.status_code == 200 for r in releases), [r.text for r in releases]
    after = {s: set((await shift(client, s))["volunteers"]) for s in (a, b)}
    assert len(after[a]) == 3
    assert not after[a] & after[b]
    able = [v for v in shifts[a]["waitlist"] if v not in held[b]]
    assert after[a] == set(able[:3])
