"""Hostile test: a door request sent again with its idempotency key answers as the first time,
to the letter (the panel shows what it got last)."""

import httpx
import pytest

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
DOOR = bearer(Role.DOOR, door_id="skodje-hovuddor")
GUARDIAN = "1508000401"
CHILD, CHILD_PIN = "1508000503", "1003"  # born 2016: under 12 for years to come
ALL_DAY_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": "meirope"} for d in range(1, 8)
]


async def test_a_repeated_refusal_of_a_child_waiting_for_the_guardian_reads_the_same(
    client: httpx.AsyncClient,
) -> None:
    calls = [
        await client.post(
            "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
        ),
        await client.put(
            "/branches/skodje/schedule", json={"periods": ALL_DAY_MEIROPE}, headers=STAFF
        ),
        await client.put(
            "/branches/skodje/access-rules",
            json={"meirope_min_age": 15, "unaccompanied_min_age": 12},
            headers=STAFF,
        ),
        await client.post(
            "/doors",
            json={"door_id": "skodje-hovuddor", "branch_id": "skodje", "name": "Hovuddør"},
            headers=STAFF,
        ),
        await client.post("/agreements", json={"card_number": GUARDIAN}, headers=STAFF),
        await client.post(
            "/agreements",
            json={"card_number": CHILD, "guardian_consent": True, "guardian_card_number": GUARDIAN},
            headers=STAFF,
        ),
    ]
    assert all(c.is_success for c in calls), [c.text for c in calls]
    body = {"card_number": CHILD, "pin": CHILD_PIN}
    headers = {**DOOR, "Idempotency-Key": "child-1"}
    first = await client.post("/doors/skodje-hovuddor/presentations", json=body, headers=headers)
    again = await client.post("/doors/skodje-hovuddor/presentations", json=body, headers=headers)
    assert first.json()["message_en"] == "You must come in together with your guardian."
    assert again.json() == first.json()
