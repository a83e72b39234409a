"""The compose deployment's init script (``deploy/postgres/initdb/10-tvers-databases.sh``) run as
the official postgres image runs it, with the secret files ``tvers compose-secrets`` makes,
against a real PostgreSQL 18: a database and a role per service, and no role can reach another's
database."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from tvers_cli.compose_secrets import write_compose_secrets
from tvers_cli.layout import SERVICES
from tvers_runtime.db.setup import limit_role_transactions
from tvers_runtime.embedded import EmbeddedPostgres
from tvers_runtime.embedded.postgres_server import BIN

pytestmark = pytest.mark.servers
SCRIPT = Path(__file__).resolve().parents[2] / "deploy/postgres/initdb/10-tvers-databases.sh"
SUPERUSER_PASSWORD = "initdb-superuser"


def mounted_secrets(made: Path, mounted: Path) -> Path:
    """The secrets as compose mounts them: ``/run/secrets/<name>``, without ``.txt``."""
    mounted.mkdir()
    for path in made.iterdir():
        shutil.copy(path, mounted / path.name.removesuffix(".txt"))
    return mounted


@pytest.fixture(scope="module")
def initialised(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[EmbeddedPostgres, Path]]:
    root = tmp_path_factory.mktemp("compose-postgres")
    made = root / "made"
    write_compose_secrets(made)
    secrets = mounted_secrets(made, root / "run-secrets")
    server = EmbeddedPostgres(root / "postgres", password=SUPERUSER_PASSWORD)
    server.start()
    try:
        environment = {
            "PATH": f"{BIN}:{os.environ['PATH']}",
            "PGHOST": server.host,
            "PGPORT": str(server.port),
            "PGPASSWORD": SUPERUSER_PASSWORD,
            "POSTGRES_USER": "postgres",
            "POSTGRES_DB": "postgres",
            "TVERS_SECRETS": str(secrets),
        }
        ran = subprocess.run(
            ["bash", str(SCRIPT)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert ran.returncode == 0, ran.stderr
        yield server, secrets
    finally:
        server.stop()


def url(server: EmbeddedPostgres, secrets: Path, role_of: str, database_of: str) -> str:
    password = (secrets / f"db-{role_of}-password").read_text(encoding="utf-8").strip()
    return (
        f"postgresql://tvers_{role_of}:{password}@{server.host}:{server.port}/tvers_{database_of}"
    )


async def connect_and_create_a_table(address: str) -> str:
    connection = await asyncpg.connect(address)
    try:
        await connection.execute("CREATE TABLE events (id bigint)")
        owner = await connection.fetchval("SELECT current_user")
    finally:
        await connection.close()
    return str(owner)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_logs_in_to_its_own_database_with_its_secret_and_owns_it(
    initialised: tuple[EmbeddedPostgres, Path], service: str
) -> None:
    server, secrets = initialised
    owner = asyncio.run(connect_and_create_a_table(url(server, secrets, service, service)))
    assert owner == f"tvers_{service}"


def test_no_service_can_connect_to_another_services_database(
    initialised: tuple[EmbeddedPostgres, Path],
) -> None:
    server, secrets = initialised
    refused: list[tuple[str, str]] = []
    for reader in SERVICES:
        for owner in SERVICES:
            if reader == owner:
                continue
            try:
                asyncio.run(connect_and_create_a_table(url(server, secrets, reader, owner)))
            except asyncpg.InsufficientPrivilegeError:
                refused.append((reader, owner))
    assert len(refused) == len(SERVICES) * (len(SERVICES) - 1)


async def role_settings(server: EmbeddedPostgres, role: str) -> set[str]:
    """The settings a role has on the whole server (``ALTER ROLE ... SET``)."""
    connection = await asyncpg.connect(server.url())
    try:
        rows = await connection.fetch(
            "SELECT unnest(setconfig) FROM pg_db_role_setting"
            " WHERE setrole = $1::regrole AND setdatabase = 0",
            role,
        )
    finally:
        await connection.close()
    return {row[0] for row in rows}


async def settings_tvers_up_gives(server: EmbeddedPostgres) -> set[str]:
    connection = await asyncpg.connect(server.url())
    try:
        await connection.execute("CREATE ROLE as_tvers_up_makes_it")
        await limit_role_transactions(connection, "as_tvers_up_makes_it")
    finally:
        await connection.close()
    return await role_settings(server, "as_tvers_up_makes_it")


def test_each_service_role_has_its_transactions_bounded_as_tvers_up_bounds_them(
    initialised: tuple[EmbeddedPostgres, Path],
) -> None:
    server, _ = initialised
    expected = asyncio.run(settings_tvers_up_gives(server))
    assert {setting.split("=")[0] for setting in expected} == {
        "idle_in_transaction_session_timeout",
        "transaction_timeout",
    }
    for service in SERVICES:
        assert asyncio.run(role_settings(server, f"tvers_{service}")) == expected, service


def test_a_wrong_password_is_refused(initialised: tuple[EmbeddedPostgres, Path]) -> None:
    server, _ = initialised
    with pytest.raises(asyncpg.InvalidPasswordError):
        asyncio.run(
            connect_and_create_a_table(
                f"postgresql://tvers_access:guessed@{server.host}:{server.port}/tvers_access"
            )
        )


def test_the_script_stops_when_a_password_file_is_missing(tmp_path: Path) -> None:
    ran = subprocess.run(
        ["bash", str(SCRIPT)],
        env={"PATH": os.environ["PATH"], "TVERS_SECRETS": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 1
    assert "run tvers compose-secrets" in ran.stderr
