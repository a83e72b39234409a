import pytest
from fastapi import FastAPI

from tvers_access.bootstrap import build_app
from tvers_access.settings import AccessSettings
from tvers_runtime.testing.http import service_settings
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest) -> FastAPI:
    """The service, on the test's database and NATS (the ``client`` fixture runs it)."""
    return build_app(
        service_settings(
            AccessSettings,
            database_url,
            nats_server.url,
            patron_key="patron-key-for-the-tests-0123456789abcdef",
        )
    )
