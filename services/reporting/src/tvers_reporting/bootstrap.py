"""The composition root of the reporting service."""

from __future__ import annotations

from fastapi import FastAPI, Request

from tvers_reporting.entrypoints import dashboard, schools
from tvers_reporting.entrypoints.desk_api import router as desk_router
from tvers_reporting.entrypoints.http import router
from tvers_reporting.entrypoints.meirope_api import router as meirope_router
from tvers_reporting.entrypoints.national_statistics_api import router as statistics_router
from tvers_reporting.entrypoints.report_api import router as report_router
from tvers_reporting.entrypoints.volunteers_api import router as volunteers_router
from tvers_reporting.read_models.branches import Branches
from tvers_reporting.read_models.daily_activity import DailyActivity
from tvers_reporting.read_models.deposits import Deposits
from tvers_reporting.read_models.desk_help import DeskHelp
from tvers_reporting.read_models.host_coverage import HostCoverage
from tvers_reporting.read_models.meirope_denials import MeiropeDenials
from tvers_reporting.read_models.meirope_entries import MeiropeEntries
from tvers_reporting.read_models.meirope_incidents import MeiropeIncidents
from tvers_reporting.read_models.meirope_visitors import MeiropeVisitors
from tvers_reporting.read_models.open_hours import OpenHours
from tvers_reporting.read_models.people_counts import PeopleCounts
from tvers_reporting.read_models.school_visits import SchoolVisits
from tvers_reporting.read_models.schools import Schools
from tvers_reporting.read_models.theme_days import ThemeDays
from tvers_reporting.read_models.volunteer_shifts import VolunteerShifts
from tvers_reporting.read_models.volunteers import Volunteers
from tvers_reporting.settings import ReportingSettings
from tvers_runtime.auth import Principal
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.http.security import SESSION_PRINCIPAL
from tvers_runtime.pages.session_store import MIGRATIONS as PAGE_SESSION_MIGRATIONS
from tvers_runtime.projection import Projection
from tvers_runtime.service import Infrastructure, ServiceHost, serve
from tvers_runtime.settings import load_settings

DESCRIPTION = (
    "Cross-department reporting: every service's events projected into read models, served as "
    "JSON and on the dashboard. It reads JetStream, never another service's database."
)


def build_app(settings: ReportingSettings | None = None, clock: Clock = system_clock) -> FastAPI:
    """Wire the service from its settings (and a clock other than the system's, for tests)."""
    settings = settings or load_settings(ReportingSettings)
    daily = DailyActivity(settings.timezone)
    branches = Branches()
    volunteer_shifts = VolunteerShifts(settings.timezone)
    volunteers = Volunteers(settings.timezone)
    host_coverage = HostCoverage()
    school_models: dict[str, Projection] = {
        "schools": Schools(),
        "school_visits": SchoolVisits(),
        "deposits": Deposits(),
        "theme_days": ThemeDays(),
    }
    meirope_models: dict[str, Projection] = {
        "meirope_denials": MeiropeDenials(settings.timezone),
        "meirope_entries": MeiropeEntries(settings.timezone),
        "meirope_visitors": MeiropeVisitors(settings.timezone),
        "meirope_incidents": MeiropeIncidents(settings.timezone),
        "open_hours": OpenHours(),
        "people_counts": PeopleCounts(),
    }
    desk_help = DeskHelp(settings.timezone)
    projections: list[Projection] = [
        daily,
        branches,
        volunteer_shifts,
        volunteers,
        host_coverage,
        *school_models.values(),
        *meirope_models.values(),
        desk_help,
    ]
    host = ServiceHost(
        name="reporting",
        settings=settings,
        publishes=False,
        projections=projections,
        migrations=[PAGE_SESSION_MIGRATIONS],
    )

    async def wire(infrastructure: Infrastructure, app: FastAPI) -> None:
        app.state.daily = daily
        app.state.branches = branches
        app.state.volunteer_shifts = volunteer_shifts
        app.state.volunteers = volunteers
        app.state.host_coverage = host_coverage
        app.state.desk_help = desk_help
        app.state.timezone = settings.timezone
        app.state.clock = clock
        app.state.library_name = settings.library_name
        for name, model in (*school_models.items(), *meirope_models.items()):
            setattr(app.state, name, model)
        app.state.public_url = settings.public_url
        dashboard.wire(infrastructure, app, clock)
        app.state.live_streams = dashboard.LiveStreams(settings.live_streams_at_most)
        setattr(app.state, SESSION_PRINCIPAL, _page_principal)

    return host.create_app(
        title="tvers reporting",
        description=DESCRIPTION,
        routers=[
            router,
            schools.router,
            volunteers_router,
            meirope_router,
            desk_router,
            statistics_router,
            report_router,
            dashboard.router,
            dashboard.live_router,
        ],
        on_start=wire,
    )


async def _page_principal(request: Request) -> Principal | None:
    """Whom the dashboard's session acts for: a signed-in browser may read the JSON API too."""
    session = await dashboard.session.PAGES.current(request)
    return None if session is None else session.principal


def main() -> None:
    """Run the service (``python -m tvers_reporting``)."""
    settings = load_settings(ReportingSettings)
    serve(build_app(settings), settings)
