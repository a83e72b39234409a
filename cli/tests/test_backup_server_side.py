"""What ``tvers up`` and ``tvers restore`` do on the PostgreSQL server itself: the service roles
get their transaction limits, and a restore onto a server whose transaction ids lie behind the
backup's moves them past it (decision 0050)."""

from __future__ import annotations

import stat
from pathlib import Path

import asyncpg
import pytest
from rich.console import Console

from tvers_cli.backing import provision_databases
from tvers_cli.layout import SERVICES, DataDir
from tvers_cli.ops.backup import backup
from tvers_cli.ops.postgres_tools import OperationRefused, admin_url
from tvers_cli.ops.restore import current_id, move_transaction_ids_past, restore
from tvers_cli.system import AlreadyRunning, Options
from tvers_cli.system import run as run_system
from tvers_runtime.aio import run
from tvers_runtime.embedded import EmbeddedPostgres

pytestmark = [pytest.mark.servers]


async def role_settings(admin_url: str, role: str) -> set[str]:
    connection = await asyncpg.connect(admin_url)
    try:
        rows = await connection.fetch(
            "SELECT unnest(setconfig) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = "
            "s.setrole WHERE r.rolname = $1 AND s.setdatabase = 0",
            role,
        )
    finally:
        await connection.close()
    return {row[0] for row in rows}


async def test_every_service_role_gets_the_idle_and_the_transaction_limit(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    data = DataDir(tmp_path)
    data.create()
    await provision_databases(postgres_admin_url, data)
    for service in SERVICES:
        assert {
            "idle_in_transaction_session_timeout=60s",
            "transaction_timeout=5min",
        } <= await role_settings(postgres_admin_url, f"tvers_{service}")


def test_an_external_server_behind_the_backups_transaction_ids_is_moved_past_them(
    postgres_admin_url: str,
) -> None:
    highest = run(current_id(postgres_admin_url)) + 20_000
    move_transaction_ids_past(postgres_admin_url, highest, None)
    assert run(current_id(postgres_admin_url)) > highest


def test_an_external_servers_databases_are_backed_up_privately_and_not_restored_over(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    data = DataDir(tmp_path / "data")
    data.create()
    run(provision_databases(postgres_admin_url, data))
    folder = tmp_path / "backup"
    manifest = backup(folder, postgres_admin_url, data, tenant="1508", keys_to=None, embedded=False)
    assert [d.service for d in manifest.databases] == list(reversed(SERVICES))  # readers first
    assert manifest.keys == {}  # none in this data folder
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    with pytest.raises(OperationRefused, match="already holds tvers_access"):
        restore(folder, manifest, DataDir(tmp_path / "elsewhere"), {}, None, postgres_admin_url)
    with pytest.raises(OperationRefused, match="not empty"):
        backup(folder, postgres_admin_url, data, tenant="1508", keys_to=None, embedded=False)


def test_a_stopped_data_folder_is_backed_up_with_its_embedded_server_started_for_the_while(
    tmp_path: Path,
) -> None:
    data = DataDir(tmp_path / "data")
    data.create()
    server = EmbeddedPostgres(data.postgres, password=data.secret("postgres.password"))
    server.start()
    try:
        run(provision_databases(server.url(), data))
    finally:
        server.stop()

    with admin_url(data, None) as url:
        manifest = backup(
            tmp_path / "backup", url, data, tenant="1508", keys_to=None, embedded=True
        )
        with pytest.raises(AlreadyRunning):  # no tvers up on the folder meanwhile
            run(run_system(Options(data.root), Console(quiet=True)))
    assert len(manifest.databases) == len(SERVICES)
    assert manifest.postgres_version.startswith("18")
    assert not (data.postgres / "pgdata" / "postmaster.pid").exists()  # stopped again
