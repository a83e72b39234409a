"""The composition root of the visits service."""

from __future__ import annotations

from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.known_branches import MIGRATIONS as KNOWN_BRANCHES_MIGRATIONS
from tvers_runtime.known_branches import KnownBranches
from tvers_runtime.known_branches.http import branches_router
from tvers_runtime.service import Infrastructure, ServiceHost, serve
from tvers_runtime.settings import load_settings
from tvers_visits.adapters import resource_search
from tvers_visits.application import VisitsApplication
from tvers_visits.entrypoints import resources, schools
from tvers_visits.entrypoints.http import router
from tvers_visits.entrypoints.subscribers import SUBSCRIBERS
from tvers_visits.resource_bank import ResourceBank
from tvers_visits.settings import VisitsSettings

DESCRIPTION = (
    "School and public library: class visits of the 2nd and 9th grades, library cards handed "
    "out, theme days. Classes and counts only: no pupil is ever named."
)


def build_app(settings: VisitsSettings | None = None) -> FastAPI:
    """Wire the service from its settings."""
    settings = settings or load_settings(VisitsSettings)
    host = ServiceHost(
        name="visits",
        settings=settings,
        migrations=[KNOWN_BRANCHES_MIGRATIONS, resource_search.MIGRATIONS],
        subscribers=SUBSCRIBERS,
    )

    async def wire(infrastructure: Infrastructure, app: FastAPI) -> None:
        branches = KnownBranches(infrastructure.pool)
        app.state.known_branches = branches
        app.state.visits = VisitsApplication(
            infrastructure.event_store,
            infrastructure.registry,
            branches=branches,
            keys=infrastructure.idempotency_keys,
        )
        app.state.timezone = settings.timezone
        await wire_resource_bank(infrastructure, app)

    return host.create_app(
        title="tvers visits",
        description=DESCRIPTION,
        routers=[
            router,
            schools.router,
            branches_router(Role.STAFF, Role.TEACHER, Role.VIEWER),
            resources.router,
        ],
        on_start=wire,
    )


async def wire_resource_bank(infrastructure: Infrastructure, app: FastAPI) -> None:
    """The resource bank's use cases, on a search table caught up with the event store."""
    search = resource_search.PostgresResourceSearch(infrastructure.pool)
    await search.catch_up(infrastructure.registry)
    app.state.resource_bank = ResourceBank(
        infrastructure.event_store,
        infrastructure.registry,
        search,
        keys=infrastructure.idempotency_keys,
    )


def main() -> None:
    """Run the service (``python -m tvers_visits``)."""
    settings = load_settings(VisitsSettings)
    serve(build_app(settings), settings)
