"""Property tests of the visits API from its own OpenAPI document: no 5xx, and every answer is
what the document says; in two tests (the school year's routes, the school library's), which run
side by side. A town is seeded first (a branch with hours, a school with its classes, a
booked visit, a deposit, a theme day, a network member, a resource-bank page), so that requests
with those ids get past the 404s into the rules."""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.events.access import WeeklyScheduleSet
from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.branch_schedules import learn
from tvers_runtime.testing.fuzz import ApiFuzz
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.schedules import weekly
from tvers_visits.testing.resources import page, write_page
from tvers_visits.testing.school_library import register_schools

# Slow (over a minute in all), so it starts early; in two tests, which run side by side.
pytestmark = [pytest.mark.servers, pytest.mark.slow]
STAFF = bearer(Role.STAFF)


async def created(
    client: httpx.AsyncClient, path: str, body: Mapping[str, object], key: str
) -> str:
    response = await client.post(path, json=body, headers=STAFF)
    assert response.status_code == 201, response.text
    value: str = response.json()[key]
    return value


def a_school_day_ahead() -> date:
    """A weekday a week or more ahead, not in the summer holiday."""
    day = datetime.now(OSLO).date() + timedelta(days=7)
    while day.isoweekday() > 5 or day.month == 7:
        day += timedelta(days=1)
    return day


@pytest.fixture
async def known(client: httpx.AsyncClient, app: FastAPI) -> dict[str, str]:
    """The seeded town's ids, by path parameter name."""
    await register_schools(app, client, "aspoy-skule")
    staffed = [weekly(d, "08:00", "16:00", "staffed") for d in range(1, 6)]
    async with app.state.infrastructure.pool.acquire() as connection:
        week = WeeklyScheduleSet(branch_id="alesund-sentrum", periods=staffed)
        await learn(connection, "1508", week)
    day = a_school_day_ahead()
    first = day.year if day.month >= 8 else day.year - 1
    year = f"{first}-{first + 1}"
    classes = {"classes": [{"grade": 2, "class_label": "2A", "pupils": 24}]}
    url = f"/school-years/{year}/schools/aspoy-skule/classes"
    assert (await client.put(url, json=classes, headers=STAFF)).is_success
    starts = datetime.combine(day, time(10), OSLO)
    today = app.state.deposits.today().isoformat()
    await write_page(client, page("lanekort"))
    visit = {
        "school_id": "aspoy-skule",
        "grade": 2,
        "class_label": "2A",
        "branch_id": "alesund-sentrum",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "expected_pupils": 20,
        "programme": "second_grade",
    }
    deposit = {
        "school_id": "aspoy-skule",
        "theme": "Dinosaurar",
        "books": 30,
        "wished_delivery_on": today,
    }
    theme_day = {"topic": "Lesestimulering", "day": today, "branch_id": "alesund-sentrum"}
    member = {"school_id": "aspoy-skule", "role": "school_librarian"}
    return {
        "school_year": year,
        "school_id": "aspoy-skule",
        "branch_id": "alesund-sentrum",
        "visit_id": await created(client, "/class-visits", visit, "visit_id"),
        "deposit_id": await created(client, "/deposits", deposit, "deposit_id"),
        "theme_day_id": await created(client, "/theme-days", theme_day, "theme_day_id"),
        "member_id": await created(client, "/network/members", member, "member_id"),
        "slug": "lanekort",
        "version": "1",
    }


def school_library(path: str) -> bool:
    """The routes of deposits, theme days, the network and the resource bank."""
    return path.startswith(("/deposits", "/theme-days", "/network", "/resource-"))


async def test_the_school_year_routes_answer_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI, known: dict[str, str]
) -> None:
    fuzz = ApiFuzz(app, client, known=known, paths=lambda path: not school_library(path))
    await fuzz.run()


async def test_the_school_library_routes_answer_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI, known: dict[str, str]
) -> None:
    await ApiFuzz(app, client, known=known, paths=school_library).run()
