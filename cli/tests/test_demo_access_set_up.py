"""What staff set up at access (branches, doors, schedules, rules) the demo sets a year back,
before every past it governs, through the access service on a simulated clock: reporting reads
each past day by the schedule as it stood at the end of that day (decision 0039). The simulated
access runs with its process's settings and without the tasks that go by the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from tvers_access.bootstrap import build_app
from tvers_access.settings import AccessSettings
from tvers_cli.demo.data import door_days
from tvers_cli.demo.desk_log import year_of_records
from tvers_cli.demo.fill_access import set_up_at
from tvers_cli.demo.history import first_day
from tvers_cli.demo.places import BRANCHES, ZONE
from tvers_cli.demo.simulated import SimulatedClock, access_settings_of
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer, service_settings
from tvers_runtime.testing.servers import NatsUnderTest

DAY = date(2026, 11, 30)


@pytest.mark.parametrize("today", [DAY, date(2026, 8, 3), date(2027, 7, 31)])
def test_the_branches_are_set_up_before_all_the_past_the_demo_fills(today: date) -> None:
    at = set_up_at(today)
    assert at.astimezone(ZONE).time().isoformat() == "00:00:00"
    assert at.astimezone(ZONE).date() <= door_days(today)[0]
    assert at.astimezone(ZONE).date() <= first_day(today)
    assert at <= min(record.at for record in year_of_records(today))
    # Ten weeks back, as a dashboard reader might look, lies well after it.
    assert at.astimezone(ZONE).date() < today - timedelta(weeks=10)


def test_the_simulated_access_runs_with_its_processs_settings_and_no_scheduler() -> None:
    settings = access_settings_of(
        {
            "TVERS_DATABASE_URL": "postgresql://access@127.0.0.1:1/access",
            "TVERS_PATRON_KEY_FILE": "/data/secrets/patron.key",
            "TVERS_BACKFILL_DAYS": "366",
            "TVERS_SCHEDULER_ENABLED": "true",
        }
    )
    assert settings.database_url.get_secret_value().endswith("/access")
    assert str(settings.patron_key_file) == "/data/secrets/patron.key"
    assert settings.backfill_days == 366
    assert settings.scheduler_enabled is False


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest) -> FastAPI:
    settings = service_settings(
        AccessSettings,
        database_url,
        nats_server.url,
        patron_key="patron-key-for-the-tests-0123456789abcdef",
        # No library system is asked: staff set up only.
        sip2_login_user="door-system",
        sip2_password="unused",
        sip2_institution_id="alesund",
        scheduler_enabled=False,
    )
    return build_app(settings, clock=SimulatedClock(set_up_at(DAY)))


@pytest.mark.servers
async def test_a_schedule_set_on_the_simulated_clock_is_dated_at_the_start_of_the_demos_year(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    branch = BRANCHES[0]
    staff = bearer(Role.STAFF)
    registered = await client.post(
        "/branches",
        json={
            "branch_id": branch.branch_id,
            "name": branch.name,
            "meirope_min_age": branch.meirope_min_age,
        },
        headers=staff,
    )
    assert registered.status_code == 201, registered.text
    periods = [p.__dict__ for p in branch.periods]
    answer = await client.put(
        f"/branches/{branch.branch_id}/schedule", json={"periods": periods}, headers=staff
    )
    assert answer.is_success, answer.text
    rows = await app.state.infrastructure.pool.fetch(
        "SELECT event_type, occurred_at FROM events ORDER BY global_position"
    )
    assert [(r["event_type"], r["occurred_at"]) for r in rows] == [
        ("BranchRegistered", set_up_at(DAY).astimezone(UTC)),
        ("WeeklyScheduleSet", set_up_at(DAY).astimezone(UTC)),
    ]
    assert set_up_at(DAY) == datetime(2025, 11, 30, tzinfo=ZONE)
