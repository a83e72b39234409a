import pytest
from fastapi import FastAPI

from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.bootstrap import build_app
from tvers_volunteers.testing.settings import volunteers_settings

pytestmark = pytest.mark.servers


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest) -> FastAPI:
    """The service, on the test's database and NATS (the ``client`` fixture runs it)."""
    return build_app(volunteers_settings(database_url, nats_server.url))
