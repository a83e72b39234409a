"""The composition root of the access service: settings in, running app out."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from tvers_access.adapters.pseudonyms import PatronReferences
from tvers_access.application import AccessApplication
from tvers_access.entrypoints.hours import router as hours_router
from tvers_access.entrypoints.http import router
from tvers_access.settings import AccessSettings
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.service import Infrastructure, ServiceHost, serve
from tvers_runtime.settings import load_settings

DESCRIPTION = (
    "Meirope (staffless opening hours): branches and their weekly schedules, door panels, "
    "patrons' agreements, and the decision at the door. Card numbers are turned into keyed "
    "references on arrival and stored nowhere."
)


def build_app(settings: AccessSettings | None = None, clock: Clock = system_clock) -> FastAPI:
    """Wire the service from its settings (and a clock other than the system's, for tests)."""
    settings = settings or load_settings(AccessSettings)
    host = ServiceHost(name="access", settings=settings)
    patrons = PatronReferences(settings.patron_key_bytes())

    async def wire(infrastructure: Infrastructure, app: FastAPI) -> None:
        app.state.access = AccessApplication(
            infrastructure.event_store,
            infrastructure.registry,
            patrons,
            timezone=settings.timezone,
            backfill=timedelta(days=settings.backfill_days),
            keys=infrastructure.idempotency_keys,
        )
        app.state.clock = clock

    return host.create_app(
        title="tvers access", description=DESCRIPTION, routers=[router, hours_router], on_start=wire
    )


def main() -> None:
    """Run the service (``python -m tvers_access``)."""
    settings = load_settings(AccessSettings)
    serve(build_app(settings), settings)
