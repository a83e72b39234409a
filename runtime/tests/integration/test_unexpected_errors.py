"""An unexpected error in a route is answered in the same error body as every other error, with
the correlation id to find it in the log, and says nothing of what went wrong inside."""

import httpx
import pytest
from fastapi import APIRouter

from tvers_runtime.service import ServiceHost
from tvers_runtime.settings import RuntimeSettings
from tvers_runtime.testing.http import service_settings
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers


async def test_an_unexpected_error_gets_500_in_the_error_body(
    database_url: str, nats_server: NatsUnderTest
) -> None:
    router = APIRouter()

    @router.get("/broken", include_in_schema=False)
    async def broken() -> None:
        raise RuntimeError("secret internals")

    host = ServiceHost(
        name="sample",
        settings=service_settings(RuntimeSettings, database_url, nats_server.url),
        publishes=False,
    )
    app = host.create_app(title="sample", description="A service that breaks.", routers=[router])
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://service") as client,
    ):
        response = await client.get(
            "/broken", headers={"X-Correlation-ID": "6f1d8c9e-1111-4111-8111-111111111111"}
        )
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "internal_error"
    assert "6f1d8c9e-1111-4111-8111-111111111111" in body["detail"]
    assert "secret" not in response.text
