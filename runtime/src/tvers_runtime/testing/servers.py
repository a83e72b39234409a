"""Where the test servers come from, in this order: URLs from the environment; containers when a
Docker engine answers (the same images as ``deploy/compose.yaml``); else the embedded binaries on
free ports in a temporary folder.

No Docker engine runs on the development and CI machines here, so the embedded path is the one CI
takes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

POSTGRES_IMAGE = "postgres:18"
NATS_IMAGE = "nats:2.12"
DATABASE_URL_ENV = "TVERS_TEST_DATABASE_URL"
NATS_URL_ENV = "TVERS_TEST_NATS_URL"
#: The embedded test server does not wait for the disk: it lives for one test run, and a test that
#: kills a server kills processes, not the machine, so what was written is still in the kernel's
#: page cache. On these shared machines, not flushing cut a fresh database and service start from
#: about 1.5 s to 0.6 s. A test about flushing takes a durable server (``durable=True``).
NO_FLUSH_SETTINGS = {"fsync": "off"}


def docker_engine_answers() -> bool:
    """Whether a Docker engine answers a ping within a few seconds."""
    try:
        import docker  # noqa: PLC0415 - comes with testcontainers

        docker.from_env(timeout=3).ping()
    except Exception:
        return False
    return True


def server_source_from_environment() -> bool:
    """Whether the environment names the servers (``TVERS_TEST_DATABASE_URL`` and
    ``TVERS_TEST_NATS_URL``): every test process then shares them."""
    return bool(os.environ.get(DATABASE_URL_ENV) and os.environ.get(NATS_URL_ENV))


def server_source() -> str:
    """``env``, ``docker`` or ``embedded``: where this test run's servers come from."""
    if server_source_from_environment():
        return "env"
    if os.environ.get("TVERS_TEST_SERVERS") == "embedded":
        return "embedded"
    return "docker" if docker_engine_answers() else "embedded"


@contextmanager
def postgres_server(source: str, folder: Path, *, durable: bool = False) -> Iterator[str]:
    """An admin URL of a PostgreSQL server for the whole test session. An embedded one does not
    flush to the disk unless ``durable``."""
    if source == "env":
        yield os.environ[DATABASE_URL_ENV]
    elif source == "docker":
        from testcontainers.postgres import PostgresContainer  # noqa: PLC0415

        with PostgresContainer(POSTGRES_IMAGE, driver=None) as container:
            yield container.get_connection_url()
    else:
        from tvers_runtime.embedded import EmbeddedPostgres  # noqa: PLC0415

        server = EmbeddedPostgres(folder, settings=None if durable else NO_FLUSH_SETTINGS)
        server.start()
        try:
            yield server.url()
        finally:
            server.stop()


@dataclass
class NatsUnderTest:
    """The NATS server a test talks to. Only an embedded one can be stopped and started again."""

    url: str
    embedded: Any = None  # EmbeddedNats, when the test owns the server
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def restartable(self) -> bool:
        """Whether the test may stop, kill and restart this server."""
        return self.embedded is not None

    def stop(self) -> None:
        """Stop the server cleanly."""
        self.embedded.stop()

    def kill(self) -> None:
        """Kill the server as a crash would."""
        self.embedded.kill()

    def start(self) -> None:
        """Start it again on the same port and store."""
        self.embedded.start()


@contextmanager
def shared_nats_server(source: str) -> Iterator[str | None]:
    """A session-wide NATS for ``env`` and ``docker``; ``None`` means: one per test (embedded)."""
    if source == "env":
        yield os.environ[NATS_URL_ENV]
    elif source == "docker":
        from testcontainers.nats import NatsContainer  # noqa: PLC0415

        with NatsContainer(NATS_IMAGE, jetstream=True) as container:
            yield container.nats_uri()
    else:
        yield None
