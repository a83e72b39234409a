"""A door presentation, a shift claim and a held class visit, each through its own service,
reach the reporting service's numbers; after a restart of everything they are still there, and
nothing is counted twice."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest

from tvers_cli.demo.patrons import demo_patrons
from tvers_runtime.auth import Role
from tvers_volunteers.testing.people import REGISTRATION

pytestmark = [pytest.mark.servers, pytest.mark.slow, pytest.mark.xdist_group("e2e")]
OSLO = ZoneInfo("Europe/Oslo")
#: A card the stand-in library system knows (a demo patron), with its PIN.
CARD, PIN = demo_patrons()[1].card, demo_patrons()[1].pin
ALL_WEEK_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "23:59", "kind": "meirope"} for d in range(1, 8)
]


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    body: dict[str, Any] = response.json()
    return body


def known_elsewhere(tvers: Any, http: httpx.Client, branch_id: str) -> None:
    """Wait until volunteers and visits have learned a branch from access's events."""
    for service in ("volunteers", "visits"):
        deadline = time.monotonic() + 30
        while branch_id not in {
            b["branch_id"]
            for b in ok(http.get(f"{tvers.url(service)}/branches", headers=tvers.token(Role.STAFF)))
        }:
            assert time.monotonic() < deadline, f"{service} never learned {branch_id}"
            time.sleep(0.2)


def school_day() -> date:
    """Today in Oslo, or in July (the summer holiday, in no school year) the last school day."""
    today = datetime.now(OSLO).date()
    return today.replace(month=6, day=30) if today.month == 7 else today


def register_school(
    tvers: Any, http: httpx.Client, school_id: str, branch_id: str, *classes: str
) -> None:
    """Register a school with the classes (``2A``) of the school year of :func:`school_day`."""
    ok(
        http.post(
            f"{tvers.url('visits')}/schools",
            headers=tvers.token(Role.STAFF),
            json={
                "school_id": school_id,
                "name": school_id.replace("-", " ").capitalize(),
                "school_type": "combined",
                "nearest_branch_id": branch_id,
            },
        )
    )
    day = school_day()
    first = day.year if day.month >= 8 else day.year - 1
    ok(
        http.put(
            f"{tvers.url('visits')}/school-years/{first}-{first + 1}/schools/{school_id}/classes",
            headers=tvers.token(Role.STAFF),
            json={
                "classes": [
                    {"grade": int(label[:-1]), "class_label": label, "pupils": 28}
                    for label in classes
                ]
            },
        )
    )


def one_of_each(tvers: Any) -> None:
    """Through the services' public APIs only."""
    staff = tvers.token(Role.STAFF)
    access, volunteers, visits = (tvers.url(s) for s in ("access", "volunteers", "visits"))
    with tvers.client() as http:
        ok(
            http.post(
                f"{access}/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=staff
            )
        )
        ok(
            http.put(
                f"{access}/branches/skodje/schedule",
                json={"periods": ALL_WEEK_MEIROPE},
                headers=staff,
            )
        )
        ok(
            http.post(
                f"{access}/doors",
                json={"door_id": "skodje-hovuddor", "branch_id": "skodje", "name": "Hovuddør"},
                headers=staff,
            )
        )
        ok(http.post(f"{access}/agreements", json={"card_number": CARD}, headers=staff))
        entry = ok(
            http.post(
                f"{access}/doors/skodje-hovuddor/presentations",
                json={"card_number": CARD, "pin": PIN},
                headers=tvers.token(Role.DOOR, door_id="skodje-hovuddor"),
            )
        )
        assert (entry["entry"], entry["opening"], entry["reason"]) == ("granted", "meirope", None)

        known_elsewhere(tvers, http, "skodje")
        register_school(tvers, http, "skodje-skule", "skodje", "2A")

        starts = datetime.now(UTC) + timedelta(days=1)
        shift = ok(
            http.post(
                f"{volunteers}/shifts",
                headers=staff,
                json={
                    "branch_id": "skodje",
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + timedelta(hours=2)).isoformat(),
                    "capacity": 2,
                },
            )
        )
        volunteer = ok(http.post(f"{volunteers}/volunteers", headers=staff, json=REGISTRATION))
        today = datetime.now(OSLO).date().isoformat()
        for path, field in (("police-certificate", "shown_on"), ("introduction", "completed_on")):
            ok(
                http.post(
                    f"{volunteers}/volunteers/{volunteer['volunteer_id']}/{path}",
                    headers=staff,
                    json={field: today},
                )
            )
        ok(
            http.post(
                f"{volunteers}/shifts/{shift['shift_id']}/claims",
                headers=tvers.token(Role.VOLUNTEER, volunteer_id=UUID(volunteer["volunteer_id"])),
            )
        )

        ok(
            http.post(
                f"{visits}/class-visits/held",
                headers=staff,
                json={
                    "school_id": "skodje-skule",
                    "grade": 2,
                    "class_label": "2A",
                    "branch_id": "skodje",
                    "held_on": school_day().isoformat(),
                    "programme": "second_grade",
                    "pupils_present": 21,
                    "library_cards_handed_out": 19,
                    "consent_forms_collected": 20,
                },
            )
        )


def totals(tvers: Any) -> dict[str, int]:
    with tvers.client() as http:
        rows = ok(http.get(f"{tvers.url('reporting')}/api/daily", headers=tvers.token(Role.VIEWER)))
    summed: dict[str, int] = {}
    for row in rows:  # type: ignore[attr-defined]
        for name, value in row.items():
            if isinstance(value, int):
                summed[name] = summed.get(name, 0) + value
    return summed


def eventually_totals(tvers: Any, expected: dict[str, int], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        current = totals(tvers)
        if all(current.get(k) == v for k, v in expected.items()):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"reporting shows {current}, expected {expected}")
        time.sleep(0.2)


EXPECTED = {
    "entries_meirope": 1,
    "entries_staffed": 0,
    "entries_denied": 0,
    "shifts_claimed": 1,
    "class_visits": 1,
    "pupils": 21,
    "library_cards": 19,
}


def test_one_of_each_reaches_reporting_and_survives_a_restart_counted_once(tvers: Any) -> None:
    one_of_each(tvers)
    eventually_totals(tvers, EXPECTED)

    tvers.stop()
    tvers.start("up")
    tvers.wait_ready()
    time.sleep(2.0)  # anything projected again would show by now
    assert {k: totals(tvers)[k] for k in EXPECTED} == EXPECTED


def test_every_service_answers_health_and_metrics(running_tvers: Any) -> None:
    tvers = running_tvers
    with tvers.client() as http:
        for service in ("reporting", "access", "volunteers", "visits", "desk"):
            assert http.get(f"{tvers.url(service)}/healthz").status_code == 200
            ready = http.get(f"{tvers.url(service)}/readyz")
            assert ready.status_code == 200, ready.text
            assert all(ready.json()["checks"].values())
            metrics = http.get(f"{tvers.url(service)}/metrics")
            assert "tvers_" in metrics.text or "python_info" in metrics.text


def test_a_requests_correlation_id_reaches_its_event_and_the_projection(
    running_tvers: Any,
) -> None:
    tvers = running_tvers  # at the debug log level
    correlation = str(uuid4())
    with tvers.client() as http:
        ok(
            http.post(
                f"{tvers.url('access')}/branches",
                json={"branch_id": "alesund-sentrum", "name": "Ålesund sentrum"},
                headers=tvers.token(Role.STAFF),
            )
        )
        known_elsewhere(tvers, http, "alesund-sentrum")
        register_school(tvers, http, "hessa-skule", "alesund-sentrum", "9C")
        response = http.post(
            f"{tvers.url('visits')}/class-visits/held",
            headers={**tvers.token(Role.STAFF), "X-Correlation-ID": correlation},
            json={
                "school_id": "hessa-skule",
                "grade": 9,
                "class_label": "9C",
                "branch_id": "alesund-sentrum",
                "held_on": school_day().isoformat(),
                "programme": "ninth_grade",
                "pupils_present": 25,
                "library_cards_handed_out": 3,
                "consent_forms_collected": 3,
            },
        )
    assert response.status_code == 201
    assert response.headers["x-correlation-id"] == correlation
    eventually_totals(tvers, {"class_visits": 1})
    logs = tvers.data_dir / "logs"
    deadline = time.monotonic() + 10
    while correlation not in (logs / "reporting.log").read_text():
        assert time.monotonic() < deadline, "the projection never logged the correlation id"
        time.sleep(0.2)
    assert correlation in (logs / "visits.log").read_text()
    projected = [
        line for line in (logs / "reporting.log").read_text().splitlines() if correlation in line
    ]
    assert any('"event_projected"' in line for line in projected)
