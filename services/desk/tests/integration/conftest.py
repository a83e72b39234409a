from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from tvers_desk.bootstrap import build_app
from tvers_desk.settings import DeskSettings
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import service_settings
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers


@pytest.fixture
def clock() -> SteppedClock:
    """The service's clock: now when the test starts, and moved by the test only."""
    return SteppedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def desk_settings(database_url: str, nats_server: NatsUnderTest) -> DeskSettings:
    """The service's settings: the test's database and NATS."""
    return service_settings(DeskSettings, database_url, nats_server.url)


@pytest.fixture
def app(desk_settings: DeskSettings, clock: SteppedClock) -> FastAPI:
    """The service, with the test's clock (the ``client`` fixture runs it)."""
    return build_app(desk_settings, clock=clock)
