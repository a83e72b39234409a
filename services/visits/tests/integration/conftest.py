from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import service_settings
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_visits.bootstrap import build_app
from tvers_visits.settings import VisitsSettings
from tvers_visits.testing.resources import streams_exist
from tvers_visits.testing.town import TWO_SECOND_GRADES, settle_town

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


@pytest.fixture
async def following(nats_server: NatsUnderTest) -> None:
    """The streams the service's subscribers read exist before it starts, so that its search
    table follows the pages (ask for it before ``client``)."""
    await streams_exist(nats_server.url)


@pytest.fixture
async def town(app: FastAPI, client: httpx.AsyncClient) -> None:
    """Aspøy and Hessa schools, each with two 2nd-grade classes, at a branch staffed 09-15."""
    schools = dict.fromkeys(("aspoy-skule", "hessa-skule"), TWO_SECOND_GRADES)
    await settle_town(app, client, school_year="2026-2027", schools=schools)
