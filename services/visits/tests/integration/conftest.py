from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import service_settings
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_visits.bootstrap import build_app
from tvers_visits.settings import VisitsSettings

pytestmark = pytest.mark.servers


@pytest.fixture
def clock() -> SteppedClock:
    """The service's clock: now when the test starts, and moved by the test only (a module
    stands it elsewhere by a ``clock`` fixture of its own)."""
    return SteppedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest, clock: SteppedClock) -> FastAPI:
    """The service, on the test's database and NATS, with the test's clock (the ``client``
    fixture runs it)."""
    return build_app(service_settings(VisitsSettings, database_url, nats_server.url), clock=clock)
