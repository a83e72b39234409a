"""The backing servers: embedded NATS and PostgreSQL in the data folder, or external ones given
by URL. Either way each service gets a database and a role of its own, and each publishing
service its JetStream stream."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg
import nats
from nats.js.errors import APIError

from tvers_cli.layout import PUBLISHERS, SERVICES, DataDir, Ports
from tvers_cli.nats_accounts import server_config, users
from tvers_runtime.db.setup import limit_role_transactions
from tvers_runtime.embedded import EmbeddedNats, EmbeddedNatsCluster, EmbeddedPostgres
from tvers_runtime.natsio import nats_servers
from tvers_runtime.relay import StreamSettings, ensure_stream

#: How long ``tvers up`` waits for JetStream to take the streams (a cluster's meta leader).
JETSTREAM_TIMEOUT = 30.0


@dataclass
class Backing:
    """Where the services find their databases and NATS."""

    database_urls: dict[str, str]
    nats_urls: dict[str, str]
    admin_nats_url: str
    embedded_postgres: EmbeddedPostgres | None = None
    embedded_nats: EmbeddedNats | EmbeddedNatsCluster | None = None
    #: Replicas of every stream: the size of the NATS cluster (1 for a single server).
    stream_replicas: int = 1

    def stop(self) -> None:
        """Stop the embedded servers (NATS first, then PostgreSQL)."""
        if self.embedded_nats is not None:
            self.embedded_nats.stop()
        if self.embedded_postgres is not None:
            self.embedded_postgres.stop()


def _with_credentials(url: str, user: str, password: str, path: str | None = None) -> str:
    """``url`` with the user and password in it; each of several comma-separated URLs."""
    if "," in url:
        return ",".join(_with_credentials(one, user, password, path) for one in nats_servers(url))
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{quote(user)}:{quote(password)}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path if path is None else path, "", ""))


def start_postgres(data: DataDir, ports: Ports, host: str) -> EmbeddedPostgres:
    """PostgreSQL from the installed wheel, in the data folder."""
    postgres = EmbeddedPostgres(
        data.postgres, port=ports.postgres, host=host, password=data.secret("postgres.password")
    )
    postgres.start()
    return postgres


def start_nats(
    data: DataDir, ports: Ports, host: str, cluster: int = 1
) -> EmbeddedNats | EmbeddedNatsCluster:
    """NATS with JetStream from the installed wheel: a user per service, the admin, and the
    read-only ``consumer`` for third parties (passwords made on first start). With ``cluster``
    3, three servers as one JetStream cluster, the same users on each, the first on the NATS
    ports and the others on free ones, each storing in ``nats/node-<i>``."""
    passwords = {name: data.secret(f"nats-{name}.password") for name in users()}
    server = embedded_nats(data, ports, host, passwords, cluster)
    server.start()
    return server


def embedded_nats(
    data: DataDir, ports: Ports, host: str, passwords: dict[str, str], cluster: int = 1
) -> EmbeddedNats | EmbeddedNatsCluster:
    """The data folder's NATS server (or cluster), with these users' passwords, not started."""
    server: EmbeddedNats | EmbeddedNatsCluster
    if cluster == 1:
        server = EmbeddedNats(
            data.nats,
            port=ports.nats,
            monitor_port=ports.nats_monitor,
            host=host,
            config=server_config(passwords),
        )
    else:
        server = EmbeddedNatsCluster(
            data.nats,
            size=cluster,
            port=ports.nats,
            monitor_port=ports.nats_monitor,
            host=host,
            config=server_config(passwords),
            route_password=data.secret("nats-route.password"),
        )
    return server


async def provision_databases(admin_url: str, data: DataDir) -> dict[str, str]:
    """A role and a database per service (made once), the roles' transactions bounded in time;
    their URLs."""
    urls: dict[str, str] = {}
    admin = await asyncpg.connect(admin_url)
    try:
        for service in SERVICES:
            role = database = f"tvers_{service}"
            password = data.secret(f"db-{service}.password")
            if not await admin.fetchval("SELECT true FROM pg_roles WHERE rolname = $1", role):
                await admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
            else:
                await admin.execute(f"ALTER ROLE {role} LOGIN PASSWORD '{password}'")
            await limit_role_transactions(admin, role)
            exists = await admin.fetchval(
                "SELECT true FROM pg_database WHERE datname = $1", database
            )
            if not exists:
                await admin.execute(f"CREATE DATABASE {database} OWNER {role}")
            urls[service] = _with_credentials(admin_url, role, password, f"/{database}")
    finally:
        await admin.close()
    return urls


async def create_streams(
    admin_nats_url: str, replicas: int = 1, timeout: float = JETSTREAM_TIMEOUT
) -> None:
    """Each publishing service's stream, created (or brought up to date) before it starts, with
    ``replicas`` replicas. In a cluster JetStream answers only once it has a meta leader, and
    places a replicated stream only on peers it has heard from: until then, try again."""
    client = await nats.connect(
        nats_servers(admin_nats_url), connect_timeout=5, max_reconnect_attempts=3
    )
    deadline = time.monotonic() + timeout
    try:
        for service in PUBLISHERS:
            while True:
                try:
                    await ensure_stream(client.jsm(), service, StreamSettings(replicas=replicas))
                    break
                except (APIError, TimeoutError, nats.errors.NoRespondersError):
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.2)
    finally:
        await client.close()


async def prepare(
    data: DataDir,
    ports: Ports,
    host: str,
    *,
    postgres_url: str | None,
    nats_url: str | None,
    nats_cluster: int = 1,
) -> Backing:
    """Start or reach the backing servers and provision them for the services. ``nats_cluster``
    is the number of NATS servers (embedded: started as one JetStream cluster) and so the
    replicas of every stream."""
    backing = Backing({}, {}, "", stream_replicas=nats_cluster)
    try:
        if postgres_url is None:
            backing.embedded_postgres = start_postgres(data, ports, host)
        if nats_url is None:
            backing.embedded_nats = start_nats(data, ports, host, nats_cluster)
        await _provision(backing, data, postgres_url, nats_url)
    except BaseException:
        backing.stop()
        raise
    return backing


async def _provision(
    backing: Backing, data: DataDir, postgres_url: str | None, nats_url: str | None
) -> None:
    embedded_postgres, embedded_nats = backing.embedded_postgres, backing.embedded_nats
    admin_postgres = postgres_url or (embedded_postgres.url() if embedded_postgres else "")
    if nats_url is None:
        assert embedded_nats is not None
        admin_nats = _with_credentials(
            embedded_nats.url, "tvers", data.secret("nats-tvers.password")
        )
        service_nats = {
            service: _with_credentials(
                embedded_nats.url, service, data.secret(f"nats-{service}.password")
            )
            for service in SERVICES
        }
    else:
        admin_nats = nats_url
        service_nats = dict.fromkeys(SERVICES, nats_url)
    backing.admin_nats_url, backing.nats_urls = admin_nats, service_nats
    backing.database_urls = await provision_databases(admin_postgres, data)
    await create_streams(admin_nats, backing.stream_replicas)
