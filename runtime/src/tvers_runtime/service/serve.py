"""Running a service's app with uvicorn, as its own process."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from tvers_runtime.settings import RuntimeSettings


def serve(app: FastAPI, settings: RuntimeSettings) -> None:
    """Serve until SIGINT or SIGTERM; logging is the app's own (structlog), not uvicorn's."""
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=True,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
