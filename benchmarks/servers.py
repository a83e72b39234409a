"""The servers a benchmark run measures against: embedded NATS and PostgreSQL in a temporary
folder, with durable commits (fsync on), as the embedded default runs them."""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import nats

from tvers_runtime.embedded import EmbeddedNats, EmbeddedPostgres

#: How long PostgreSQL may take to show what an idle backend did in its statistics (its
#: PGSTAT_IDLE_INTERVAL of 10 s), and a little more.
STATISTICS_DELAY = 11.0


@dataclass
class BenchServers:
    """Running servers and a way to get fresh databases on them."""

    postgres: EmbeddedPostgres
    nats: EmbeddedNats

    async def forget_streams(self) -> None:
        """Delete every stream, so that a benchmark starts from an empty JetStream."""
        client = await nats.connect(self.nats.url)
        try:
            for info in await client.jsm().streams_info():
                if info.config.name:
                    await client.jsm().delete_stream(info.config.name)
        finally:
            await client.close()

    async def wal_flushes(self) -> int:
        """How often the server has flushed its WAL to the disk so far, by every backend and
        the WAL writer. A backend reports its counts at most once a second, and an idle one
        within :data:`STATISTICS_DELAY`: wait that long after the work to count all of it."""
        admin = await asyncpg.connect(self.postgres.url())
        try:
            flushes: int = await admin.fetchval(
                "SELECT coalesce(sum(fsyncs), 0)::bigint FROM pg_stat_io WHERE object = 'wal'"
            )
        finally:
            await admin.close()
        return flushes

    async def new_database(self) -> str:
        """Create an empty database; its URL."""
        name = f"bench_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(self.postgres.url())
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        return self.postgres.url(name)


@contextlib.asynccontextmanager
async def bench_servers() -> AsyncIterator[BenchServers]:
    """Start both servers for the run; stop them afterwards."""
    with tempfile.TemporaryDirectory(prefix="tvers-bench-") as folder:
        postgres = EmbeddedPostgres(Path(folder) / "postgres")
        nats = EmbeddedNats(Path(folder) / "nats")
        postgres.start()
        nats.start()
        try:
            yield BenchServers(postgres, nats)
        finally:
            nats.stop()
            postgres.stop()
