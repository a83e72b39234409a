"""A service as ``tvers up`` runs it, for the benchmarks that measure it over HTTP: ``python -m
<package>`` as a process of its own (uvicorn, its relay and background work), configured through
``TVERS_*`` variables, on a database of the benchmark servers (fsync on) and their NATS. The door
benchmark runs access this way (:mod:`benchmarks.access_service`), the volunteers benchmark the
volunteers service (:mod:`benchmarks.volunteers_service`)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import nats
import psutil

from tvers_runtime.embedded.ports import free_port
from tvers_runtime.embedded.process import die_with_parent
from tvers_runtime.relay import ensure_stream
from tvers_runtime.testing.http import TEST_KEY

READY_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


@dataclass(frozen=True)
class RunningService:
    """The service process: where it answers, and its process for CPU figures."""

    url: str
    process: psutil.Process

    def cpu_seconds(self) -> float:
        """CPU time the process has used so far (user and system)."""
        times = self.process.cpu_times()
        return times.user + times.system


def environment(
    database_url: str, nats_url: str, port: int, extra: Mapping[str, str]
) -> dict[str, str]:
    """What ``tvers up`` gives every service process (see ``tvers_cli.supervisor``), with the
    tests' signing key, and the service's own ``extra`` variables."""
    variables = {k: v for k, v in os.environ.items() if not k.startswith("TVERS_")}
    variables.update(
        {
            "TVERS_DATABASE_URL": database_url,
            "TVERS_NATS_URL": nats_url,
            "TVERS_HTTP_HOST": "127.0.0.1",
            "TVERS_HTTP_PORT": str(port),
            "TVERS_AUTH_KEY": TEST_KEY.decode(),
            "TVERS_LOG_JSON": "true",
            "TVERS_LOG_LEVEL": "INFO",
            "TVERS_TENANT": "1508",
            **extra,
        }
    )
    return variables


async def declare_stream(nats_url: str, service: str) -> None:
    """Declare another service's stream as its owner does under ``tvers up``: a service's
    subscribers start (and it is ready) only once the streams they read exist."""
    client = await nats.connect(nats_url)
    try:
        await ensure_stream(client.jsm(), service)
    finally:
        await client.close()


async def _wait_ready(
    name: str, url: str, process: asyncio.subprocess.Process, log_path: Path
) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    async with httpx.AsyncClient(base_url=url, timeout=2.0) as client:
        while True:
            if process.returncode is not None or time.monotonic() > deadline:
                tail = (await asyncio.to_thread(log_path.read_text, errors="replace"))[-4000:]
                raise RuntimeError(f"the {name} service did not become ready:\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def service_process(
    package: str,
    database_url: str,
    nats_url: str,
    log_path: Path,
    extra: Mapping[str, str],
) -> AsyncIterator[RunningService]:
    """``python -m <package>`` until ``/readyz`` says it is ready (database, NATS, relay,
    subscribers); yields it, and stops it (SIGTERM) afterwards. Its log goes to ``log_path``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            package,
            env=environment(database_url, nats_url, port, extra),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            preexec_fn=die_with_parent(),
        )
    try:
        await _wait_ready(package, url, process, log_path)
        yield RunningService(url, psutil.Process(process.pid))
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                process.kill()
                await process.wait()
