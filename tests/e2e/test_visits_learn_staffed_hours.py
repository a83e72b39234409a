"""A schedule set in access decides which class visits the visits service books, through the
real system (``tvers up``: access's relay, JetStream, visits' subscriber and its own view of the
hours): a booking in meirope hours is refused, one in staffed hours is booked, and a date closed
in access is refused once visits has learned it."""

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
BRANCH = "brattvag"
SCHOOL = "brattvag-skule"
WEEKDAYS = [
    period
    for weekday in range(1, 6)
    for period in (
        {"weekday": weekday, "starts": "09:00", "ends": "15:00", "kind": "staffed"},
        {"weekday": weekday, "starts": "15:00", "ends": "21:00", "kind": "meirope"},
    )
]


def ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def school_days_ahead() -> tuple[date, date]:
    """Two weekdays in the same school year, a week or more ahead (never in July)."""
    day = datetime.now(OSLO).date() + timedelta(days=7)
    while day.isoweekday() > 4 or 7 in (day.month, (day + timedelta(days=1)).month):
        day += timedelta(days=1)
    return day, day + timedelta(days=1)


def school_year(day: date) -> str:
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def at(day: date, hour: int) -> str:
    return datetime.combine(day, clock_time(hour), OSLO).isoformat()


def booking(day: date, starts: int, ends: int) -> dict[str, Any]:
    return {
        "school_id": SCHOOL,
        "grade": 2,
        "class_label": "2A",
        "branch_id": BRANCH,
        "starts_at": at(day, starts),
        "ends_at": at(day, ends),
        "expected_pupils": 20,
        "programme": "second_grade",
    }


def wait_until(check: Any, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


def test_a_schedule_set_in_access_decides_the_class_visits_visits_books(
    running_tvers: Any,
) -> None:
    tvers = running_tvers
    staff = tvers.token(Role.STAFF)
    teacher = tvers.token(Role.TEACHER, school_id=SCHOOL)
    access, visits = tvers.url("access"), tvers.url("visits")
    day, closed = school_days_ahead()
    with tvers.client() as http:
        ok(
            http.post(
                f"{access}/branches", json={"branch_id": BRANCH, "name": "Brattvåg"}, headers=staff
            )
        )
        ok(
            http.put(
                f"{access}/branches/{BRANCH}/schedule", json={"periods": WEEKDAYS}, headers=staff
            )
        )
        ok(
            http.put(
                f"{access}/branches/{BRANCH}/exceptions/{closed.isoformat()}",
                json={"periods": [], "label": "Stengt"},
                headers=staff,
            )
        )

        def known() -> bool:
            school = {
                "school_id": SCHOOL,
                "name": "Brattvåg skule",
                "school_type": "primary",
                "nearest_branch_id": BRANCH,
            }
            return http.post(f"{visits}/schools", json=school, headers=staff).status_code == 201

        wait_until(known, "visits never learned the branch from access")
        ok(
            http.put(
                f"{visits}/school-years/{school_year(day)}/schools/{SCHOOL}/classes",
                json={"classes": [{"grade": 2, "class_label": "2A", "pupils": 22}]},
                headers=staff,
            )
        )

        def staffed_learned() -> bool:
            slots = http.get(
                f"{visits}/school-years/{school_year(day)}/free-slots",
                params={
                    "branch_id": BRANCH,
                    "programme": "second_grade",
                    "from": day.isoformat(),
                    "to": closed.isoformat(),
                },
                headers=teacher,
            )
            days = {s["day"] for s in slots.json()} if slots.status_code == 200 else set()
            return days == {day.isoformat()}  # and none on the closed day

        wait_until(staffed_learned, "visits never learned the branch's staffed hours")

        in_meirope = http.post(f"{visits}/class-visits", json=booking(day, 16, 18), headers=teacher)
        assert in_meirope.status_code == 422, in_meirope.text
        assert "staffed hours" in in_meirope.json()["detail"]
        on_closed_day = http.post(
            f"{visits}/class-visits", json=booking(closed, 10, 12), headers=teacher
        )
        assert on_closed_day.status_code == 422, on_closed_day.text
        assert "not staffed that day" in on_closed_day.json()["detail"]

        booked = ok(http.post(f"{visits}/class-visits", json=booking(day, 10, 12), headers=teacher))
        assert (booked["status"], booked["branch_id"]) == ("booked", BRANCH)
        mine = ok(
            http.get(
                f"{visits}/school-years/{school_year(day)}/schools/{SCHOOL}/classes",
                headers=teacher,
            )
        )
        assert mine[0]["programme_visit"]["visit_id"] == booked["visit_id"]
