"""The access service as ``tvers up`` runs it, for the door benchmark: ``python -m tvers_access``
as a process of its own (uvicorn, its relay, scheduler and retention job), configured through
``TVERS_*`` variables, on a database of the benchmark servers (fsync on) and their NATS, asking
the SIP2 peer; and the branches, doors and agreements the doors present to, set up through the
staff API."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import nats
import psutil

from tvers_access.testing.sip2_patrons import load_patrons
from tvers_runtime.auth import Role
from tvers_runtime.embedded.ports import free_port
from tvers_runtime.embedded.process import die_with_parent
from tvers_runtime.relay import ensure_stream
from tvers_runtime.testing.http import TEST_KEY, bearer

READY_TIMEOUT = 60.0
STAFF = bearer(Role.STAFF, audience=["access"])


@dataclass(frozen=True)
class RunningService:
    """The service process: where it answers, and its process for CPU figures."""

    url: str
    process: psutil.Process

    def cpu_seconds(self) -> float:
        """CPU time the process has used so far (user and system)."""
        times = self.process.cpu_times()
        return times.user + times.system


@dataclass(frozen=True)
class Layout:
    """Branches and their doors: ``doors[branch_id]`` lists the door ids there."""

    doors: dict[str, list[str]]

    @classmethod
    def spread(cls, doors: int, branches: int) -> Layout:
        """``doors`` doors spread evenly over ``branches`` branches."""
        names = [f"filial-{b + 1}" for b in range(branches)]
        layout: dict[str, list[str]] = {name: [] for name in names}
        for d in range(doors):
            branch_id = names[d % branches]
            layout[branch_id].append(f"{branch_id}-dor-{len(layout[branch_id]) + 1}")
        return cls(layout)

    @property
    def door_ids(self) -> list[str]:
        """Every door, branch by branch."""
        return [door for doors in self.doors.values() for door in doors]


def _environment(database_url: str, nats_url: str, port: int, sip2_port: int) -> dict[str, str]:
    """What ``tvers up`` gives the access process (see ``tvers_cli.supervisor``), with the
    benchmark's keys and the SIP2 peer's login."""
    patrons = load_patrons()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TVERS_")}
    environment.update(
        {
            "TVERS_DATABASE_URL": database_url,
            "TVERS_NATS_URL": nats_url,
            "TVERS_HTTP_HOST": "127.0.0.1",
            "TVERS_HTTP_PORT": str(port),
            "TVERS_AUTH_KEY": TEST_KEY.decode(),
            "TVERS_LOG_JSON": "true",
            "TVERS_LOG_LEVEL": "INFO",
            "TVERS_TENANT": "1508",
            "TVERS_PATRON_KEY": "patron-key-for-the-benchmark-0123456789abcdef",
            "TVERS_SIP2_HOST": "127.0.0.1",
            "TVERS_SIP2_PORT": str(sip2_port),
            "TVERS_SIP2_LOGIN_USER": patrons.login_user,
            "TVERS_SIP2_PASSWORD": patrons.login_password,
            "TVERS_SIP2_INSTITUTION_ID": patrons.institution_id,
        }
    )
    return environment


async def _wait_ready(url: str, process: asyncio.subprocess.Process, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    async with httpx.AsyncClient(base_url=url, timeout=2.0) as client:
        while True:
            if process.returncode is not None or time.monotonic() > deadline:
                tail = (await asyncio.to_thread(log_path.read_text, errors="replace"))[-4000:]
                raise RuntimeError(f"the access service did not become ready:\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)


async def declare_volunteers_stream(nats_url: str) -> None:
    """The stream access subscribes to for check-ins, as the volunteers service declares it
    under ``tvers up`` (access is ready only once its subscribers run)."""
    client = await nats.connect(nats_url)
    try:
        await ensure_stream(client.jsm(), "volunteers")
    finally:
        await client.close()


@contextlib.asynccontextmanager
async def access_process(
    database_url: str, nats_url: str, sip2_port: int, log_path: Path
) -> AsyncIterator[RunningService]:
    """``python -m tvers_access`` until it says it is ready (database, NATS, relay); yields it,
    and stops it (SIGTERM) afterwards. Its log goes to ``log_path``."""
    await declare_volunteers_stream(nats_url)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tvers_access",
            env=_environment(database_url, nats_url, port, sip2_port),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            preexec_fn=die_with_parent(),
        )
    try:
        await _wait_ready(url, process, log_path)
        yield RunningService(url, psutil.Process(process.pid))
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()


async def set_up(
    url: str, layout: Layout, *, kind: str, agreements: Sequence[str], min_age: int = 15
) -> None:
    """Register the branches with a schedule of ``kind`` all day, every day, and their doors;
    the patrons with ``agreements`` sign one. Through the staff API, as staff would."""
    all_day = [
        {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": kind} for d in range(1, 8)
    ]
    calls: list[tuple[str, str, object]] = []
    for branch_id, doors in layout.doors.items():
        calls += [
            ("POST", "/branches", {"branch_id": branch_id, "name": branch_id.title()}),
            ("PUT", f"/branches/{branch_id}/schedule", {"periods": all_day}),
            ("PUT", f"/branches/{branch_id}/access-rules", {"meirope_min_age": min_age}),
        ]
        calls += [
            ("POST", "/doors", {"door_id": door, "branch_id": branch_id, "name": door})
            for door in doors
        ]
    calls += [("POST", "/agreements", {"card_number": card}) for card in agreements]
    async with httpx.AsyncClient(base_url=url, headers=STAFF, timeout=10.0) as client:
        for method, path, body in calls:
            response = await client.request(method, path, json=body)
            if response.status_code not in (200, 201):
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
