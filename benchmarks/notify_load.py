"""Loading several databases at once, each from a process of its own (this module run as a
script: 32 single-event clients on one database, with a LISTEN open as the relay keeps one), and
sampling what their writers wait for while they run."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg

from benchmarks import append
from tvers_runtime.aio import run
from tvers_runtime.eventstore.postgres import NOTIFY_CHANNEL

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 32
_WRITERS_WAITING = """
    SELECT count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'object'),
           count(*)
    FROM pg_stat_activity
    WHERE application_name = 'bench' AND state = 'active' AND datname = ANY($1::text[])
"""


@dataclass
class WaitSamples:
    """Writers waiting for the notify lock, counted over samples of ``pg_stat_activity``."""

    waiting: int = 0
    busy: int = 0

    def percent(self) -> float:
        return 100.0 * self.waiting / self.busy if self.busy else 0.0


@contextlib.asynccontextmanager
async def sampling(admin_url: str, databases: list[str]) -> AsyncIterator[WaitSamples]:
    """Sample the writers' wait events every 10 ms while the block runs."""
    samples = WaitSamples()
    connection = await asyncpg.connect(admin_url)

    async def sample() -> None:
        while True:
            row = await connection.fetchrow(_WRITERS_WAITING, databases)
            assert row is not None
            samples.waiting += row[0]
            samples.busy += row[1]
            await asyncio.sleep(0.01)

    task = asyncio.create_task(sample())
    try:
        yield samples
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await connection.close()


async def _start_load(url: str, per_client: int) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.notify_load",
        url,
        str(per_client),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    if (await process.stdout.readline()).strip() != b"ready":
        raise RuntimeError(f"load process for {url} did not start")
    return process


async def _result(process: asyncio.subprocess.Process) -> dict[str, float]:
    output, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"load process failed ({process.returncode})")
    figures: dict[str, float] = json.loads(output)
    return figures


async def load_at_once(
    admin_url: str, urls: list[str], per_client: int
) -> tuple[list[dict[str, float]], float]:
    """One load process per database, all started together; each one's figures and the
    notify-lock share of the whole run."""
    processes = [await _start_load(url, per_client) for url in urls]
    databases = [urlsplit(url).path.lstrip("/") for url in urls]
    async with sampling(admin_url, databases) as samples:
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()
        figures = [await _result(process) for process in processes]
    return figures, samples.percent()


async def events_per_commit(url: str) -> float:
    """How many events each appending transaction stored, on average (the group commit)."""
    connection = await asyncpg.connect(url)
    try:
        ratio = await connection.fetchval(
            "SELECT count(*)::float8 / greatest(count(DISTINCT tx_id), 1) FROM events"
        )
    finally:
        await connection.close()
    return float(ratio)


async def _load(url: str, per_client: int) -> dict[str, float]:
    """A load process: the store ready and a LISTEN open, then wait for ``go`` and append."""
    listener = await asyncpg.connect(url)
    heard = 0

    def hear(*_: object) -> None:
        nonlocal heard
        heard += 1

    await listener.add_listener(NOTIFY_CHANNEL, hear)

    async def ready() -> None:
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)

    try:
        figures = await append.single_event_appends(url, CLIENTS, per_client, ready)
    finally:
        await listener.close()
    return {**figures, "notifications": float(heard)}


if __name__ == "__main__":
    print(json.dumps(run(_load(sys.argv[1], int(sys.argv[2])))), flush=True)
