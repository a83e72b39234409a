"""The composition root of the visits service."""

from __future__ import annotations

from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.branch_schedules import MIGRATIONS as BRANCH_SCHEDULE_MIGRATIONS
from tvers_runtime.branch_schedules import PostgresBranchSchedules
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.known_branches import MIGRATIONS as KNOWN_BRANCHES_MIGRATIONS
from tvers_runtime.known_branches import KnownBranches
from tvers_runtime.known_branches.http import branches_router
from tvers_runtime.pages.session_store import MIGRATIONS as PAGE_SESSION_MIGRATIONS
from tvers_runtime.service import Infrastructure, ServiceHost, serve
from tvers_runtime.settings import load_settings
from tvers_visits.adapters import network_names, ordered_deposits, resource_search
from tvers_visits.application import VisitsApplication
from tvers_visits.deposits import Deposits
from tvers_visits.entrypoints import (
    branch_hours,
    class_visits,
    deposits,
    http,
    network,
    resources,
    school_page,
    school_years,
    schools,
    theme_days,
)
from tvers_visits.entrypoints.subscribers import SUBSCRIBERS
from tvers_visits.network import NetworkCases
from tvers_visits.resource_bank import ResourceBank
from tvers_visits.settings import VisitsSettings
from tvers_visits.theme_days import ThemeDayCases
from tvers_visits.visit_cases import ClassVisits

DESCRIPTION = (
    "School and public library: the schools and their classes per school year, class visits "
    "of the 2nd and 9th grades booked in the branches' staffed hours and recorded as held "
    "(library cards handed out), a booking plan for the classes not yet visited. Classes and "
    "counts only: no pupil is ever named."
)


def build_app(settings: VisitsSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """Wire the service from its settings; ``clock`` is the time its rules go by."""
    settings = settings or load_settings(VisitsSettings)
    host = ServiceHost(
        name="visits",
        settings=settings,
        migrations=[
            KNOWN_BRANCHES_MIGRATIONS,
            BRANCH_SCHEDULE_MIGRATIONS,
            ordered_deposits.MIGRATIONS,
            network_names.MIGRATIONS,
            resource_search.MIGRATIONS,
            PAGE_SESSION_MIGRATIONS,
        ],
        subscribers=SUBSCRIBERS,
    )

    async def wire(infrastructure: Infrastructure, app: FastAPI) -> None:
        branches = KnownBranches(infrastructure.pool)
        app.state.known_branches = branches
        app.state.schedules = PostgresBranchSchedules(infrastructure.pool)
        app.state.visits = schools_cases = VisitsApplication(
            infrastructure.event_store,
            infrastructure.registry,
            branches=branches,
            keys=infrastructure.idempotency_keys,
            clock=clock,
        )
        app.state.class_visits = ClassVisits(
            infrastructure.event_store,
            infrastructure.registry,
            schools=schools_cases,
            branches=branches,
            schedules=app.state.schedules,
            keys=infrastructure.idempotency_keys,
            clock=clock,
        )
        app.state.timezone = settings.timezone
        wire_school_library(infrastructure, app, clock)
        await wire_resource_bank(infrastructure, app, clock)
        app.state.public_url = settings.public_url
        school_page.wire(infrastructure, app, clock)

    return host.create_app(
        title="tvers visits",
        description=DESCRIPTION,
        routers=[
            schools.router,
            school_years.router,
            class_visits.router,
            http.router,
            branch_hours.router,
            deposits.router,
            theme_days.router,
            network.router,
            branches_router(Role.STAFF, Role.TEACHER, Role.VIEWER),
            resources.router,
            school_page.router,
        ],
        on_start=wire,
    )


def wire_school_library(infrastructure: Infrastructure, app: FastAPI, clock: Clock) -> None:
    """Deposits, theme days and the school librarians' network (decision 0034), on the
    register of schools of ``app.state.visits``."""
    schools_register: VisitsApplication = app.state.visits
    store, registry = infrastructure.event_store, infrastructure.registry
    keys = infrastructure.idempotency_keys
    app.state.deposits = Deposits(
        store,
        registry,
        schools=schools_register,
        index=ordered_deposits.OrderedDeposits(infrastructure.pool),
        keys=keys,
        clock=clock,
    )
    app.state.theme_days = ThemeDayCases(
        store,
        registry,
        schools=schools_register,
        branches=app.state.known_branches,
        keys=keys,
        clock=clock,
    )
    app.state.network = NetworkCases(
        store,
        registry,
        schools=schools_register,
        names=network_names.PostgresNetworkNames(infrastructure.pool),
        keys=keys,
        clock=clock,
    )


async def wire_resource_bank(infrastructure: Infrastructure, app: FastAPI, clock: Clock) -> None:
    """The resource bank's use cases, on a search table caught up with the event store, dating
    its versions by the service's clock."""
    search = resource_search.PostgresResourceSearch(infrastructure.pool)
    await search.catch_up(infrastructure.registry)
    app.state.resource_bank = ResourceBank(
        infrastructure.event_store,
        infrastructure.registry,
        search,
        keys=infrastructure.idempotency_keys,
        clock=clock,
    )


def main() -> None:
    """Run the service (``python -m tvers_visits``)."""
    settings = load_settings(VisitsSettings)
    serve(build_app(settings), settings)
