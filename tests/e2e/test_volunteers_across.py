"""The volunteers strand through the running system: a check-in in volunteers shows in access's
branch status within seconds, and after a volunteer erases themself nothing of their name or
contact is in the data folder (PostgreSQL, JetStream, logs) while their hours still count."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
import pytest

from tvers_runtime.auth import Role
from tvers_volunteers.testing.people import IN_CLEAR, REGISTRATION

pytestmark = [pytest.mark.servers, pytest.mark.slow, pytest.mark.xdist_group("e2e")]
OSLO = ZoneInfo("Europe/Oslo")
ALL_WEEK_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "23:59", "kind": "meirope"} for d in range(1, 8)
]


def ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def until(check: Any, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.2)


def test_a_check_in_shows_in_access_and_an_erased_volunteer_leaves_no_trace(tvers: Any) -> None:
    staff = tvers.token(Role.STAFF)
    access, volunteers = tvers.url("access"), tvers.url("volunteers")
    with tvers.client() as http:
        ok(
            http.post(
                f"{access}/branches", json={"branch_id": "haroy", "name": "Harøy"}, headers=staff
            )
        )
        ok(
            http.put(
                f"{access}/branches/haroy/schedule",
                json={"periods": ALL_WEEK_MEIROPE},
                headers=staff,
            )
        )
        until(
            lambda: (
                "haroy"
                in {b["branch_id"] for b in ok(http.get(f"{volunteers}/branches", headers=staff))}
            ),
            "volunteers learned the branch",
        )
        volunteer = ok(http.post(f"{volunteers}/volunteers", json=REGISTRATION, headers=staff))
        volunteer_id = volunteer["volunteer_id"]
        today = datetime.now(OSLO).date().isoformat()
        for path, field in (("police-certificate", "shown_on"), ("introduction", "completed_on")):
            ok(
                http.post(
                    f"{volunteers}/volunteers/{volunteer_id}/{path}",
                    json={field: today},
                    headers=staff,
                )
            )
        starts = datetime.now(UTC) + timedelta(minutes=5)
        shift = ok(
            http.post(
                f"{volunteers}/shifts",
                json={
                    "branch_id": "haroy",
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + timedelta(hours=2)).isoformat(),
                    "capacity": 2,
                },
                headers=staff,
            )
        )
        themself = tvers.token(Role.VOLUNTEER, volunteer_id=UUID(volunteer_id))
        ok(http.post(f"{volunteers}/shifts/{shift['shift_id']}/claims", headers=themself))
        ok(http.post(f"{volunteers}/shifts/{shift['shift_id']}/check-in", headers=themself))

        def host_shown() -> bool:
            status = ok(http.get(f"{access}/branches/haroy/status", headers=staff))
            return bool(status["host_checked_in"]) and status["hosts_checked_in"] == 1

        until(host_shown, "access shows the host checked in")
        ok(http.post(f"{volunteers}/shifts/{shift['shift_id']}/check-out", headers=themself))
        until(lambda: not host_shown(), "access shows the host gone")

        ok(http.post(f"{volunteers}/volunteers/{volunteer_id}/erase", headers=themself))
        gone = http.get(f"{volunteers}/volunteers/{volunteer_id}/personal-data", headers=staff)
        assert gone.status_code == 404
        hours = ok(http.get(f"{volunteers}/volunteers/{volunteer_id}/hours", headers=staff))
        assert hours["shifts"] == 1
    time.sleep(1.0)  # relayed, logged, flushed
    tvers.stop()  # every server writes out what it holds
    needles = {piece.encode() for piece in IN_CLEAR} | {
        piece.encode("utf-16-le") for piece in IN_CLEAR
    }
    leaks = [
        str(path)
        for path in tvers.data_dir.rglob("*")
        if path.is_file() and any(n in path.read_bytes() for n in needles)
    ]
    assert leaks == []
    assert any(tvers.data_dir.rglob("*.log"))
