from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from fastapi import FastAPI

from tvers_access.bootstrap import build_app
from tvers_access.settings import AccessSettings
from tvers_access.testing.sip2_peer import Sip2Peer
from tvers_runtime.testing.http import service_settings
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers


@pytest_asyncio.fixture
async def sip2_peer() -> AsyncIterator[Sip2Peer]:
    """The library system: pysip2's server with the fixture's patrons, on a free port."""
    async with Sip2Peer() as running:
        yield running


@pytest.fixture
def access_settings(
    database_url: str, nats_server: NatsUnderTest, sip2_peer: Sip2Peer
) -> AccessSettings:
    """The service's settings: the test's database, NATS and library system."""
    return service_settings(
        AccessSettings,
        database_url,
        nats_server.url,
        patron_key="patron-key-for-the-tests-0123456789abcdef",
        sip2_port=sip2_peer.port,
        sip2_login_user=sip2_peer.directory.login_user,
        sip2_password=sip2_peer.directory.login_password,
        sip2_institution_id=sip2_peer.directory.institution_id,
        sip2_timeout=1.0,
        # The closing scheduler runs on the system clock; the tests that need it start their
        # own with a clock of theirs (test_closing_scheduler.py).
        scheduler_enabled=False,
    )


@pytest.fixture
def app(access_settings: AccessSettings) -> FastAPI:
    """The service (the ``client`` fixture runs it)."""
    return build_app(access_settings)
