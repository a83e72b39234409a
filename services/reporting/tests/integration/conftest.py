import pytest
from fastapi import FastAPI

from tvers_reporting.bootstrap import build_app
from tvers_reporting.settings import ReportingSettings
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.testing.http import service_settings
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers


@pytest.fixture
def clock() -> Clock:
    """The service's clock; a test module pins it by overriding this fixture."""
    return system_clock


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest, clock: Clock) -> FastAPI:
    """The service, on the test's database and NATS (the ``client`` fixture runs it)."""
    return build_app(service_settings(ReportingSettings, database_url, nats_server.url), clock)
