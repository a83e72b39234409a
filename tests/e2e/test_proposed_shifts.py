"""A meirope schedule set in access leads to proposed shifts in volunteers, through the real
system (``tvers up``: access's relay, JetStream, volunteers' subscriber and its proposer): the
last two hours of every meirope evening of the coming four weeks, in Oslo wall-clock time; a date
closed in access withdraws its proposal."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tvers_runtime.auth import Role

pytestmark = [pytest.mark.servers, pytest.mark.slow, pytest.mark.xdist_group("e2e")]
OSLO = ZoneInfo("Europe/Oslo")
BRANCH = "vigra"
EVERY_EVENING = [
    {"weekday": d, "starts": "18:00", "ends": "21:00", "kind": "meirope"} for d in range(1, 8)
]


def ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def proposals(tvers: Any, http: httpx.Client) -> list[dict[str, Any]]:
    now = datetime.now(OSLO)
    found: list[dict[str, Any]] = ok(
        http.get(
            f"{tvers.url('volunteers')}/shifts",
            params={
                "branch_id": BRANCH,
                "from": now.isoformat(),
                "to": (now + timedelta(days=30)).isoformat(),
            },
            headers=tvers.token(Role.STAFF),
        )
    )
    return [s for s in found if s["stage"] == "proposed"]


def evening(day: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, clock_time(19), OSLO),
        datetime.combine(day, clock_time(21), OSLO),
    )


def windows(found: list[dict[str, Any]]) -> set[tuple[datetime, datetime]]:
    return {
        (datetime.fromisoformat(s["starts_at"]), datetime.fromisoformat(s["ends_at"]))
        for s in found
    }


def wait_until(check: Any, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


def test_a_meirope_schedule_set_in_access_leads_to_proposed_shifts_in_volunteers(
    running_tvers: Any,
) -> None:
    tvers = running_tvers
    staff = tvers.token(Role.STAFF)
    access = tvers.url("access")
    today = datetime.now(OSLO).date()
    with tvers.client() as http:
        ok(
            http.post(
                f"{access}/branches", json={"branch_id": BRANCH, "name": "Vigra"}, headers=staff
            )
        )
        ok(
            http.put(
                f"{access}/branches/{BRANCH}/schedule",
                json={"periods": EVERY_EVENING},
                headers=staff,
            )
        )
        # Tomorrow to four weeks on, every evening (this evening too, unless it has begun).
        expected = {evening(today + timedelta(days=n)) for n in range(1, 28)}

        def proposed() -> bool:
            return expected <= windows(proposals(tvers, http))

        wait_until(proposed, "volunteers never proposed the evenings")
        found = proposals(tvers, http)
        assert windows(found) - expected <= {evening(today)}
        assert {(s["role"], s["capacity"], s["places_left"]) for s in found} == {("host", 2, 2)}

        closed = today + timedelta(days=3)
        ok(
            http.put(
                f"{access}/branches/{BRANCH}/exceptions/{closed.isoformat()}",
                json={"periods": [], "label": "Stengt"},
                headers=staff,
            )
        )

        def withdrawn() -> bool:
            return evening(closed) not in windows(proposals(tvers, http))

        wait_until(withdrawn, "the closed evening's proposal was never withdrawn")
        assert windows(proposals(tvers, http)) >= expected - {evening(closed)}
