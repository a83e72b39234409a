"""Running a service's app with uvicorn, as its own process."""

from __future__ import annotations

import gc

import uvicorn
from fastapi import FastAPI

from tvers_runtime.settings import RuntimeSettings


def serve(app: FastAPI, settings: RuntimeSettings) -> None:
    """Serve until SIGINT or SIGTERM; logging is the app's own (structlog), not uvicorn's.

    What is built by now (modules, models, routes: tens of thousands of objects that live as
    long as the process) is moved out of the garbage collector's sight, so that its full
    collections, which a busy door would otherwise meet in the middle of a decision, are short.
    """
    gc.freeze()
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
