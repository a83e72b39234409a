"""Which system an operator command works on, and the connections to it.

By default the embedded one of a data folder (``--data-dir``): while ``tvers up`` runs on it, the
command connects to its PostgreSQL and NATS, on the ports ``tvers up`` wrote to the folder. When
it does not run, the command starts the embedded servers itself for as long as it runs (holding
the folder's lock, so that ``tvers up`` waits), and says so: a rebuild or a look at the dead
letters then works on a stopped system too. ``--postgres-url`` (an admin URL, as ``tvers up``
takes) and ``--nats-url`` name external servers instead.

The command works in each service's database as that service's role (``SET ROLE`` at connection
start), so that what it creates (a rebuilt read model) belongs to the service, as it would if the
service had made it.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import asyncpg
import nats
import typer
from nats.aio.client import Client as NatsClient
from rich.console import Console

from tvers_cli.backing import embedded_nats
from tvers_cli.layout import DataDir, Ports
from tvers_cli.nats_accounts import users
from tvers_runtime.db.pool import create_pool
from tvers_runtime.embedded import EmbeddedNats, EmbeddedNatsCluster, EmbeddedPostgres
from tvers_runtime.embedded.process import ServerFailedToStart
from tvers_runtime.logging import configure_logging

console = Console()
#: Errors and notes on stderr, a message per line however narrow the terminal (scripts grep them).
err_console = Console(stderr=True, soft_wrap=True)

DataDirOption = Annotated[
    Path, typer.Option("--data-dir", envvar="TVERS_DATA_DIR", help="The system's data folder.")
]
PostgresUrl = Annotated[
    str | None,
    typer.Option(
        envvar="TVERS_POSTGRES_URL",
        help="An admin URL of the system's PostgreSQL, instead of the embedded one.",
    ),
]
NatsUrl = Annotated[
    str | None,
    typer.Option(envvar="TVERS_NATS_URL", help="The system's NATS, instead of the embedded one."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class NotReachable(Exception):
    """The system's servers cannot be reached or started; the message says what to do."""


@dataclass(frozen=True)
class Where:
    """Which system a command works on, as given on the command line."""

    data_dir: Path = Path("data")
    postgres_url: str | None = None
    nats_url: str | None = None

    @property
    def data(self) -> DataDir:
        """The data folder."""
        return DataDir(self.data_dir)

    def listening(self) -> tuple[Ports, str, int]:
        """The ports, host and NATS servers of the data folder's system (``tvers up``'s
        defaults if unknown)."""
        return Ports.load(self.data.ports_file) or (Ports(), "127.0.0.1", 1)


@dataclass
class System:
    """An open connection to a system: NATS as its admin, PostgreSQL per service database."""

    where: Where
    admin_postgres_url: str
    nats: NatsClient
    ports: Ports
    host: str
    #: Whether this command started the embedded servers (``tvers up`` was not running).
    started_here: bool = False
    _pools: dict[str, asyncpg.Pool] = field(default_factory=dict)

    async def pool(self, service: str) -> asyncpg.Pool:
        """A small pool on the service's database, as the service's role."""
        if service not in self._pools:
            self._pools[service] = await create_pool(
                service_database_url(self.admin_postgres_url, service),
                application_name=f"tvers-ops-{service}",
                max_size=4,
            )
        return self._pools[service]

    def service_url(self, service: str) -> str:
        """Where a service of the data folder's system answers HTTP."""
        return f"http://{self.host}:{self.ports.services[service]}"

    async def close(self) -> None:
        """Close every connection."""
        for pool in self._pools.values():
            await pool.close()
        await self.nats.close()


def service_database_url(admin_url: str, service: str) -> str:
    """The admin URL pointed at ``tvers_<service>``, acting as the role ``tvers_<service>``."""
    parts = urlsplit(admin_url)
    query = urlencode({"role": f"tvers_{service}"})
    return urlunsplit((parts.scheme, parts.netloc, f"/tvers_{service}", query, ""))


def _secret(data: DataDir, name: str) -> str:
    path = data.secrets / name
    if not path.exists():
        raise NotReachable(f"{path} is missing: is {data.root} a tvers data folder?")
    return path.read_text(encoding="utf-8").strip()


def _with_user(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    netloc = f"{quote(user)}:{quote(password)}@{parts.hostname}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@contextlib.contextmanager
def _unless_running(data: DataDir) -> Iterator[bool]:
    """Yield whether ``tvers up`` runs on the folder; while it does not, hold its lock (so that
    it cannot start meanwhile)."""
    handle = data.lock.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield True
        else:
            yield False
    finally:
        handle.close()


@contextlib.asynccontextmanager
async def connect(where: Where) -> AsyncIterator[System]:
    """Connect to the system (starting its embedded servers if it is stopped); see the module
    docstring."""
    configure_logging(service="tvers-ops", level="WARNING", json=False)  # to stderr
    data = where.data
    embedded = where.postgres_url is None or where.nats_url is None
    if embedded and not data.secrets.is_dir():
        raise NotReachable(
            f"no tvers data folder at {data.root}: give --data-dir, "
            "or --postgres-url and --nats-url"
        )
    ports, host, nats_cluster = where.listening()
    with contextlib.ExitStack() as servers:
        running = servers.enter_context(_unless_running(data)) if embedded else True
        postgres_url, nats_url = where.postgres_url, where.nats_url
        if postgres_url is None:
            if not running:
                postgres = EmbeddedPostgres(
                    data.postgres,
                    port=ports.postgres,
                    host=host,
                    password=_secret(data, "postgres.password"),
                )
                _start(postgres, "PostgreSQL")
                servers.callback(postgres.stop)
            password = _secret(data, "postgres.password")
            postgres_url = (
                f"postgresql://postgres:{quote(password)}@{host}:{ports.postgres}/postgres"
            )
        if nats_url is None:
            if not running:
                nats_server = _embedded_nats(data, ports, host, nats_cluster)
                _start(nats_server, "NATS")
                servers.callback(nats_server.stop)
            password = _secret(data, "nats-tvers.password")
            nats_url = ",".join(
                _with_user(url, "tvers", password)
                for url in embedded_nats_urls(data, ports, host, nats_cluster)
            )
        if not running:
            err_console.print(
                f"tvers: the system in {data.root} is not running; its PostgreSQL and NATS "
                "were started for this command and stop with it (its services are down)."
            )
        await _check_postgres(postgres_url, given=where.postgres_url is not None)
        try:
            client = await nats.connect(
                nats_url.split(","),
                connect_timeout=5,
                max_reconnect_attempts=2,
                error_cb=_quiet,  # the refusal below says it once, without a traceback
            )
        except Exception as error:
            raise NotReachable(
                f"cannot reach NATS ({error!r}); "
                + ("check --nats-url" if where.nats_url else _EXTERNAL_HINT.format("nats"))
            ) from error
        system = System(where, postgres_url, client, ports, host, started_here=not running)
        try:
            yield system
        finally:
            await system.close()


async def _quiet(error: Exception) -> None:
    """A NATS client error: the command reports what matters itself."""


def embedded_nats_urls(data: DataDir, ports: Ports, host: str, cluster: int) -> list[str]:
    """The client URL of every server of the data folder's embedded NATS: the first on
    ``ports.nats``, the others of a cluster on the ports their configuration files name (free
    ports chosen when it started), so that a command still connects while one server is down."""
    urls = [f"nats://{host}:{ports.nats}"]
    for index in range(2, cluster + 1):
        config = data.nats / f"node-{index}" / "nats-server.conf"
        try:
            found = re.search(r"^port: (\d+)$", config.read_text(encoding="utf-8"), re.MULTILINE)
        except OSError:
            continue
        if found:
            urls.append(f"nats://{host}:{found.group(1)}")
    return urls


_EXTERNAL_HINT = (
    "if this system runs on an external server, give --{0}-url; if tvers up is starting, wait"
)


def _start(server: EmbeddedPostgres | EmbeddedNats | EmbeddedNatsCluster, what: str) -> None:
    try:
        server.start()
    except ServerFailedToStart as error:
        raise NotReachable(f"could not start the embedded {what}: {error}") from error


async def _check_postgres(url: str, *, given: bool) -> None:
    try:
        connection = await asyncpg.connect(url, timeout=10)
    except (OSError, asyncpg.PostgresError) as error:
        hint = "check --postgres-url" if given else _EXTERNAL_HINT.format("postgres")
        raise NotReachable(f"cannot reach PostgreSQL ({error}); {hint}") from error
    await connection.close()


def _embedded_nats(
    data: DataDir, ports: Ports, host: str, cluster: int
) -> EmbeddedNats | EmbeddedNatsCluster:
    """The same server (or cluster) as ``tvers up``'s, with its users, not started yet."""
    passwords = {name: _secret(data, f"nats-{name}.password") for name in users()}
    return embedded_nats(data, ports, host, passwords, cluster)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error the operator can act on; the exit to raise."""
    err_console.print(f"[red]tvers:[/red] {message}")
    return typer.Exit(code)
