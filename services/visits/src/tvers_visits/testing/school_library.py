"""Test helpers for deposits, theme days and the network: the service on a test's clock, and
schools registered through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import httpx
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer, service_settings
from tvers_visits.bootstrap import build_app
from tvers_visits.settings import VisitsSettings


def at(day: date, clock: str = "10:00") -> datetime:
    """A moment on Oslo's wall clock, as the service's clock tells it (UTC)."""
    return datetime.combine(day, time.fromisoformat(clock), OSLO).astimezone(UTC)


def visits_app(database_url: str, nats_url: str, clock: SteppedClock) -> FastAPI:
    """The service on the test's database, NATS and clock."""
    return build_app(service_settings(VisitsSettings, database_url, nats_url), clock=clock)


async def register_schools(
    app: FastAPI,
    client: httpx.AsyncClient,
    *school_ids: str,
    tenant: str = "1508",
    branch_id: str = "alesund-sentrum",
) -> None:
    """Make ``branch_id`` known and register the schools, as staff would."""
    await learn_branches(app, branch_id, tenant=tenant)
    for school_id in school_ids:
        body = {
            "school_id": school_id,
            "name": school_id.replace("-", " ").title(),
            "school_type": "combined",
            "nearest_branch_id": branch_id,
        }
        response = await client.post(
            "/schools", json=body, headers=bearer(Role.STAFF, tenant=tenant)
        )
        assert response.status_code == 201, response.text


async def events_stored(app: FastAPI, *event_types: str) -> int:
    """How many events of these types (of any, if none named) the service has stored."""
    pool = app.state.infrastructure.pool
    count: int = await pool.fetchval(
        "SELECT count(*) FROM events WHERE cardinality($1::text[]) = 0 OR event_type = ANY($1)",
        list(event_types),
    )
    return count
