"""The composition root of the access service: settings in, running app out."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from tvers_access.adapters import registered_branches
from tvers_access.adapters.day_logs import PostgresDayLogs
from tvers_access.adapters.hosts import PostgresHosts
from tvers_access.adapters.pseudonyms import PatronReferences, PostgresMonthKeys
from tvers_access.adapters.sip2 import sip2_library_system
from tvers_access.application import AccessApplication
from tvers_access.closing_application import ClosingEvents
from tvers_access.entrypoints.agreements import router as agreements_router
from tvers_access.entrypoints.hours import router as hours_router
from tvers_access.entrypoints.http import router
from tvers_access.entrypoints.occupancy import router as occupancy_router
from tvers_access.entrypoints.retention_job import run_retention
from tvers_access.entrypoints.scheduler import ClosingScheduler
from tvers_access.entrypoints.subscribers import SUBSCRIBERS
from tvers_access.occupancy_application import OccupancyApplication
from tvers_access.settings import AccessSettings
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.service import Infrastructure, ServiceHost, serve
from tvers_runtime.settings import load_settings

MIGRATIONS = MigrationSource("access", Path(__file__).parent / "adapters" / "migrations")
DESCRIPTION = (
    "Meirope (staffless opening hours): branches, their weekly schedules, dated exceptions and "
    "published hours, door panels, patrons' agreements, and the decision at the door, with card "
    "and PIN checked against the library system over SIP2. Card numbers are turned into keyed "
    "references on arrival and stored nowhere."
)


def build_app(settings: AccessSettings | None = None, clock: Clock = system_clock) -> FastAPI:
    """Wire the service from its settings (and a clock other than the system's, for tests)."""
    settings = settings or load_settings(AccessSettings)
    host = ServiceHost(
        name="access",
        settings=settings,
        migrations=[MIGRATIONS, registered_branches.MIGRATIONS],
        subscribers=SUBSCRIBERS,
    )
    patrons = PatronReferences(
        settings.patron_key_bytes(), previous=settings.patron_previous_key_bytes()
    )
    library = sip2_library_system(settings, clock=clock)

    async def wire(infrastructure: Infrastructure, app: FastAPI) -> None:
        app.state.access = AccessApplication(
            infrastructure.event_store,
            infrastructure.registry,
            patrons,
            PostgresMonthKeys(infrastructure.pool),
            library,
            hosts=PostgresHosts(infrastructure.pool),
            timezone=settings.timezone,
            backfill=timedelta(days=settings.backfill_days),
            keys=infrastructure.idempotency_keys,
            clock=clock,
            day_logs=PostgresDayLogs(infrastructure.pool),
        )
        app.state.clock = clock
        wire_occupancy(settings, infrastructure, app, clock)
        if settings.scheduler_enabled:
            retention = run_retention(
                app.state.access, settings.tenant, interval=settings.retention_interval_seconds
            )
            infrastructure.tasks.append(asyncio.create_task(retention, name="retention"))

    return host.create_app(
        title="tvers access",
        description=DESCRIPTION,
        routers=[router, agreements_router, hours_router, occupancy_router],
        on_start=wire,
        on_stop=library.close,
    )


def wire_occupancy(
    settings: AccessSettings, infrastructure: Infrastructure, app: FastAPI, clock: Clock
) -> None:
    """The counter, alarms and closing (0015), and the scheduler as a task of the host's."""
    cases = OccupancyApplication(
        infrastructure.event_store,
        infrastructure.registry,
        timezone=settings.timezone,
        backfill=timedelta(days=settings.backfill_days),
        keys=infrastructure.idempotency_keys,
        clock=clock,
    )
    app.state.occupancy = cases
    scheduler = ClosingScheduler(
        ClosingEvents(
            infrastructure.event_store, infrastructure.registry, timezone=settings.timezone
        ),
        registered_branches.RegisteredBranches(infrastructure.pool).all,
        clock=clock,
        interval=settings.scheduler_interval_seconds,
        look_back=timedelta(minutes=settings.scheduler_look_back_minutes),
    )
    app.state.scheduler = scheduler
    if settings.scheduler_enabled:
        # The host cancels its tasks when the service stops.
        infrastructure.tasks.append(asyncio.create_task(scheduler.run(), name="closing-scheduler"))


def main() -> None:
    """Run the service (``python -m tvers_access``)."""
    settings = load_settings(AccessSettings)
    serve(build_app(settings), settings)
