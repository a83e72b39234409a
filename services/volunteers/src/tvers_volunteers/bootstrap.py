"""The composition root of the volunteers service."""

from __future__ import annotations

from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.known_branches import MIGRATIONS as KNOWN_BRANCHES_MIGRATIONS
from tvers_runtime.known_branches import KnownBranches
from tvers_runtime.known_branches.http import branches_router
from tvers_runtime.service import Infrastructure, ServiceHost, serve
from tvers_runtime.settings import load_settings
from tvers_volunteers.application import VolunteersApplication
from tvers_volunteers.entrypoints.http import router
from tvers_volunteers.entrypoints.subscribers import SUBSCRIBERS
from tvers_volunteers.settings import VolunteersSettings

DESCRIPTION = (
    "Bibliotekvenn volunteers: hosting shifts in meirope hours, published by staff and claimed "
    "by volunteers. Volunteers appear in events as opaque ids only."
)


def build_app(settings: VolunteersSettings | None = None) -> FastAPI:
    """Wire the service from its settings."""
    settings = settings or load_settings(VolunteersSettings)
    host = ServiceHost(
        name="volunteers",
        settings=settings,
        migrations=[KNOWN_BRANCHES_MIGRATIONS],
        subscribers=SUBSCRIBERS,
    )

    async def wire(infrastructure: Infrastructure, app: FastAPI) -> None:
        branches = KnownBranches(infrastructure.pool)
        app.state.known_branches = branches
        app.state.volunteers = VolunteersApplication(
            infrastructure.event_store,
            infrastructure.registry,
            branches=branches,
            keys=infrastructure.idempotency_keys,
        )

    return host.create_app(
        title="tvers volunteers",
        description=DESCRIPTION,
        routers=[router, branches_router(Role.STAFF, Role.VOLUNTEER, Role.VIEWER)],
        on_start=wire,
    )


def main() -> None:
    """Run the service (``python -m tvers_volunteers``)."""
    settings = load_settings(VolunteersSettings)
    serve(build_app(settings), settings)
