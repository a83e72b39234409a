"""A door's counter and alarms over HTTP, on a real PostgreSQL and NATS: occupancy in the branch
status, tailgating against the door's grants, the door token of that door only, and bad input
refused with nothing stored."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_access.bootstrap import build_app
from tvers_access.settings import AccessSettings
from tvers_access.testing.occupancy import (
    DOOR,
    STAFF,
    count,
    event_count,
    oslo,
    set_up_branch,
    status,
    stored,
)
from tvers_runtime.auth import Role
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers
CARD, PIN = "1508000101", "2468"  # an adult of the SIP2 peer's fixture
EVENING = oslo("19:00")


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(EVENING)


@pytest.fixture
def app(access_settings: AccessSettings, clock: SteppedClock) -> FastAPI:
    return build_app(access_settings, clock=clock)


async def test_counter_reports_make_the_occupancy_of_the_branch_status(
    client: httpx.AsyncClient,
) -> None:
    await set_up_branch(client)
    assert (await status(client))["occupancy"] == 0
    answers = [
        await count(client, oslo("18:55"), entries=3, sequence=1),
        await count(client, oslo("18:58"), exits=1, sequence=2),
    ]
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert (await status(client))["occupancy"] == 2


async def test_occupancy_never_goes_below_zero_and_counts_from_the_opening(
    client: httpx.AsyncClient,
) -> None:
    await set_up_branch(client)
    await count(client, oslo("09:00"), entries=4, sequence=1)  # before the day's opening
    await count(client, oslo("18:00"), exits=2, sequence=2)  # entries the counter missed
    await count(client, oslo("18:30"), entries=1, sequence=3)
    assert (await status(client))["occupancy"] == 1


async def test_a_repeated_report_with_the_same_key_is_counted_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    body = {"entries": 2, "exits": 0, "counted_at": oslo("18:55").isoformat(), "sequence": 9}
    headers = {**DOOR, "Idempotency-Key": "counter-report-9"}
    for _ in range(2):
        answer = await client.post("/doors/skodje-hovuddor/counts", json=body, headers=headers)
        assert answer.status_code == 200, answer.text
    assert len(await stored(app, "PeopleCounted")) == 1
    assert len(await stored(app, "TailgatingSuspected")) == 1
    assert (await status(client))["occupancy"] == 2


async def present(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/doors/skodje-hovuddor/presentations",
        json={"card_number": CARD, "pin": PIN},
        headers=DOOR,
    )
    assert answer.json()["entry"] == "granted", answer.text


async def test_more_entries_than_grants_in_meirope_hours_raise_a_tailgating_suspicion(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    assert (await client.post("/agreements", json={"card_number": CARD}, headers=STAFF)).is_success
    await present(client)
    one = await count(client, EVENING + timedelta(seconds=3), entries=1, sequence=1)
    assert one.json() == {"status": "counted", "tailgating_suspected": False}
    two = await count(client, EVENING + timedelta(seconds=4), entries=1, sequence=2)
    assert two.json() == {"status": "counted", "tailgating_suspected": True}
    [suspicion] = await stored(app, "TailgatingSuspected")
    assert suspicion == {
        "door_id": "skodje-hovuddor",
        "branch_id": "skodje",
        "counted": 2,
        "granted": 1,
        "window_seconds": 10,
        "counted_at": "2026-11-23T18:00:04Z",
    }


async def test_a_branchs_own_tailgating_window_is_used(client: httpx.AsyncClient) -> None:
    await set_up_branch(client)
    assert (await client.post("/agreements", json={"card_number": CARD}, headers=STAFF)).is_success
    rules = {"announce_minutes_before": [10], "tailgating_window_seconds": 30}
    answer = await client.put("/branches/skodje/occupancy-rules", json=rules, headers=STAFF)
    assert answer.status_code == 200, answer.text
    await present(client)
    late = await count(client, EVENING + timedelta(seconds=25), entries=1, sequence=1)
    assert late.json()["tailgating_suspected"] is False


async def test_nothing_is_suspected_in_staffed_hours(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    clock.set("12:00")
    await set_up_branch(client)
    answer = await count(client, oslo("12:00"), entries=5, sequence=1)
    assert answer.json()["tailgating_suspected"] is False


async def test_a_door_alarm_is_recorded_for_its_door_without_anyone_in_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    for kind in ("held_open", "forced"):
        answer = await client.post(
            "/doors/skodje-hovuddor/alarms",
            json={"kind": kind, "raised_at": oslo("18:59").isoformat()},
            headers=DOOR,
        )
        assert answer.json() == {"status": "raised"}, answer.text
    assert await stored(app, "DoorAlarmRaised") == [
        {
            "door_id": "skodje-hovuddor",
            "branch_id": "skodje",
            "kind": kind,
            "raised_at": "2026-11-23T17:59:00Z",
        }
        for kind in ("held_open", "forced")
    ]


COUNT = {"entries": 1, "exits": 0, "counted_at": EVENING.isoformat(), "sequence": 1}
ALARM = {"kind": "forced", "raised_at": EVENING.isoformat()}


@pytest.mark.parametrize("path", ["counts", "alarms"])
@pytest.mark.parametrize(
    ("headers", "status_code"),
    [
        ({}, 401),
        ({"Authorization": "Bearer not-a-token"}, 401),
        (bearer(Role.DOOR, door_id="skodje-sidedor"), 403),  # another door's panel
        (STAFF, 403),  # staff may not fake a counter
        (bearer(Role.VIEWER), 403),
    ],
)
async def test_only_the_door_token_of_that_door_may_report(
    client: httpx.AsyncClient,
    app: FastAPI,
    path: str,
    headers: dict[str, str],
    status_code: int,
) -> None:
    await set_up_branch(client)
    before = await event_count(app)
    body = COUNT if path == "counts" else ALARM
    answer = await client.post(f"/doors/skodje-hovuddor/{path}", json=body, headers=headers)
    assert answer.status_code == status_code, answer.text
    assert answer.json()["error"] == ("unauthorized" if status_code == 401 else "forbidden")
    assert await event_count(app) == before


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


@pytest.mark.parametrize(
    ("path", "body", "status_code", "error"),
    [
        ("counts", changed(COUNT, entries=-1), 422, "invalid_request"),
        ("counts", changed(COUNT, entries=501), 422, "invalid_request"),
        ("counts", changed(COUNT, entries=0, exits=0), 422, "rule_violated"),
        ("counts", changed(COUNT, counted_at="2026-11-23T19:00:00"), 422, "invalid_request"),
        ("counts", changed(COUNT, counted_at=oslo("19:10").isoformat()), 422, "rule_violated"),
        ("counts", changed(COUNT, counted_at="2026-01-01T12:00:00Z"), 422, "rule_violated"),
        ("counts", changed(COUNT, sequence=-1), 422, "invalid_request"),
        ("counts", changed(COUNT, door="x"), 422, "invalid_request"),
        ("counts", {"entries": 1, "exits": 0, "sequence": 1}, 422, "invalid_request"),
        ("alarms", changed(ALARM, kind="smoke"), 422, "invalid_request"),
        ("alarms", changed(ALARM, raised_at="yesterday"), 422, "invalid_request"),
        ("alarms", changed(ALARM, raised_at=oslo("19:10").isoformat()), 422, "rule_violated"),
    ],
)
async def test_bad_reports_are_refused_and_store_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    path: str,
    body: dict[str, Any],
    status_code: int,
    error: str,
) -> None:
    await set_up_branch(client)
    before = await event_count(app)
    answer = await client.post(f"/doors/skodje-hovuddor/{path}", json=body, headers=DOOR)
    assert (answer.status_code, answer.json()["error"]) == (status_code, error), answer.text
    assert await event_count(app) == before


async def test_a_report_from_a_door_that_is_not_registered_is_not_found(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    before = await event_count(app)
    answer = await client.post(
        "/doors/skodje-baksida/counts",
        json=COUNT,
        headers=bearer(Role.DOOR, door_id="skodje-baksida"),
    )
    assert answer.status_code == 404, answer.text
    assert await event_count(app) == before


@pytest.mark.parametrize(
    ("rules", "status_code"),
    [
        ({}, 200),
        ({"announce_minutes_before": [5, 30], "check_after_minutes": 0}, 200),
        ({"announce_minutes_before": []}, 200),
        ({"announce_minutes_before": [10, 10]}, 422),
        ({"announce_minutes_before": [0]}, 422),
        ({"announce_minutes_before": [1, 2, 3, 4, 5, 6, 7]}, 422),
        ({"check_after_minutes": 31}, 422),
        ({"tailgating_window_seconds": 1}, 422),
    ],
)
async def test_occupancy_rules_are_set_by_staff_within_bounds(
    client: httpx.AsyncClient, app: FastAPI, rules: dict[str, Any], status_code: int
) -> None:
    await set_up_branch(client)
    before = await event_count(app)
    answer = await client.put("/branches/skodje/occupancy-rules", json=rules, headers=STAFF)
    assert answer.status_code == status_code, answer.text
    assert await event_count(app) == before + (1 if status_code == 200 else 0)


async def test_rules_for_a_branch_that_does_not_exist_are_not_found(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.put("/branches/nowhere/occupancy-rules", json={}, headers=STAFF)
    assert answer.status_code == 404, answer.text


async def test_staff_clear_a_drifted_count_and_may_not_clear_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await set_up_branch(client)
    nothing = await client.post("/branches/skodje/occupants/clear", headers=STAFF)
    assert (nothing.status_code, nothing.json()["error"]) == (409, "conflict")
    await count(client, oslo("18:00"), entries=3, sequence=1)
    cleared = await client.post("/branches/skodje/occupants/clear", headers=STAFF)
    assert cleared.json() == {"status": "cleared"}, cleared.text
    assert (await status(client))["occupancy"] == 0
    assert await stored(app, "OccupantsCleared") == [
        {
            "branch_id": "skodje",
            "closings": [],
            "occupancy_before": 3,
            "cleared_at": "2026-11-23T18:00:00Z",
        }
    ]
    await count(client, oslo("19:00"), entries=1, sequence=2)
    assert (await status(client))["occupancy"] == 1
