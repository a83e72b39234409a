"""The yearly booking plan for 35 schools and 10 branches (issue 9's aim: made in under 1 s).

Two figures: the plan as the domain makes it (CPU only, from the municipality fixture of the
tests), and the plan as staff ask for it (``GET /school-years/<year>/proposed-plan`` on the
service, in this process, on embedded PostgreSQL): the year's stream, the schools, the branches'
hours from the service's own view, then the plan.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import httpx

from benchmarks.servers import BenchServers
from benchmarks.stats import percentile
from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.branch_schedules import learn
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer, running, service_settings
from tvers_visits.bootstrap import build_app
from tvers_visits.domain import planning
from tvers_visits.domain.school_year import SchoolYear
from tvers_visits.settings import VisitsSettings
from tvers_visits.testing.municipality import Municipality, municipality

Result = dict[str, Any]
AIM_PLAN_MS = 1000.0
YEAR = SchoolYear(2026)
#: The plan is asked for in June, before the year: the whole year is free.
ASKED = datetime(2026, 6, 15, 9, 0, tzinfo=OSLO)
STAFF = bearer(Role.STAFF)


def _latencies(latencies: list[float]) -> Result:
    return {
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies),
        "requests": len(latencies),
    }


def plan_in_the_domain(town: Municipality, rounds: int) -> Result:
    """The plan made from the fixture's state, ``rounds`` times."""
    took = []
    visits = 0
    for _ in range(rounds):
        started = time.perf_counter()
        plan = planning.propose(
            town.year,
            schools=town.schools,
            schedules=town.schedules,
            first=YEAR.first_day,
            last=YEAR.last_day,
            now=ASKED,
        )
        took.append(1000 * (time.perf_counter() - started))
        visits = len(plan.visits)
    return {**_latencies(took), "events": visits}


async def _fill(client: httpx.AsyncClient, app: Any, town: Municipality) -> None:
    """The municipality through the service's own routes; the branches' hours as its view
    learns them from access's events."""
    await learn_branches(app, *town.schedules)
    async with app.state.infrastructure.pool.acquire() as connection:
        for event in town.access_events():
            await learn(connection, "1508", event)
    for school in town.schools.values():
        body = {
            "school_id": school.school_id,
            "name": school.name,
            "school_type": school.school_type.value,
            "nearest_branch_id": school.nearest_branch_id,
        }
        assert (await client.post("/schools", json=body, headers=STAFF)).status_code == 201
        routes = {"routes": [r.model_dump(mode="json") for r in school.routes]}
        url = f"/schools/{school.school_id}/routes"
        assert (await client.put(url, json=routes, headers=STAFF)).is_success
        classes = {
            "classes": [
                c.model_dump(mode="json") for c in town.year.school_classes(school.school_id)
            ]
        }
        url = f"/school-years/{YEAR.label}/schools/{school.school_id}/classes"
        assert (await client.put(url, json=classes, headers=STAFF)).is_success


async def plan_through_the_service(
    servers: BenchServers, town: Municipality, rounds: int
) -> Result:
    """``GET proposed-plan`` on the service, ``rounds`` times after one to warm up."""
    settings = service_settings(VisitsSettings, await servers.new_database(), servers.nats.url)
    app = build_app(settings, clock=SteppedClock(ASKED))
    took = []
    visits = 0
    async with running(app) as client:
        await _fill(client, app, town)
        url = f"/school-years/{YEAR.label}/proposed-plan"
        for round_ in range(rounds + 1):
            started = time.perf_counter()
            response = await client.get(url, headers=STAFF)
            elapsed = 1000 * (time.perf_counter() - started)
            assert response.status_code == 200, response.text
            visits = len(response.json()["visits"])
            if round_:
                took.append(elapsed)
    return {**_latencies(took), "events": visits}


def _aim(name: str, p99: float) -> Result:
    return {"name": name, "ratio": AIM_PLAN_MS / p99, "aim": 1.0, "met": p99 < AIM_PLAN_MS}


async def visits_group(servers: BenchServers, scale: float) -> list[Result]:
    """The yearly plan, in the domain and through the service; and the issue's aim."""
    rounds = max(3, int(20 * scale))
    town = municipality(YEAR)
    domain = plan_in_the_domain(town, rounds)
    service = await plan_through_the_service(servers, town, rounds)
    return [
        {"name": "visits: yearly plan, 35 schools, 10 branches (domain)", **domain},
        {"name": "visits: yearly plan, 35 schools, 10 branches (GET proposed-plan)", **service},
        _aim("visits: yearly plan p99 under 1 s (GET proposed-plan)", service["p99_ms"]),
    ]
