"""Each service's app, run in the test process on a real PostgreSQL and NATS, for the tests of
what every service's HTTP surface promises alike."""

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from tvers_access.bootstrap import build_app as access_app
from tvers_access.settings import AccessSettings
from tvers_desk.bootstrap import build_app as desk_app
from tvers_desk.settings import DeskSettings
from tvers_reporting.bootstrap import build_app as reporting_app
from tvers_reporting.settings import ReportingSettings
from tvers_runtime.testing.http import service_settings
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_visits.bootstrap import build_app as visits_app
from tvers_visits.settings import VisitsSettings
from tvers_volunteers.bootstrap import build_app as volunteers_app
from tvers_volunteers.testing.settings import volunteers_settings

pytestmark = pytest.mark.servers
PATRON_KEY = "patron-key-for-the-tests-0123456789abcdef"
#: These tests never reach a door decision in meirope hours, so no library system is asked.
NO_LIBRARY_SYSTEM = {"sip2_login_user": "tvers-door", "sip2_password": "never-used", "sip2_port": 9}

APPS: dict[str, Callable[[str, str], FastAPI]] = {
    "access": lambda db, nats: access_app(
        service_settings(AccessSettings, db, nats, patron_key=PATRON_KEY, **NO_LIBRARY_SYSTEM)
    ),
    "volunteers": lambda db, nats: volunteers_app(volunteers_settings(db, nats)),
    "visits": lambda db, nats: visits_app(service_settings(VisitsSettings, db, nats)),
    "reporting": lambda db, nats: reporting_app(service_settings(ReportingSettings, db, nats)),
    "desk": lambda db, nats: desk_app(service_settings(DeskSettings, db, nats)),
}


@pytest.fixture(params=sorted(APPS))
def service(request: pytest.FixtureRequest) -> str:
    """Each service in turn."""
    name: str = request.param
    return name


@pytest.fixture
def app(service: str, database_url: str, nats_server: NatsUnderTest) -> FastAPI:
    """The service's app on the test's database and NATS (the ``client`` fixture runs it)."""
    return APPS[service](database_url, nats_server.url)
