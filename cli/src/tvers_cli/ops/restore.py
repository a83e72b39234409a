"""``tvers restore DIR``: a backup's databases into a fresh data folder (or an external server
holding none of them), and its keys into the folder's secrets (decision 0050).

The restored event logs keep their transaction ids (``xid8``), which came from the old cluster;
a fresh cluster counts from far below them. Left so, the relays would read none of the restored
events (they read only below the oldest running transaction), and new appends would sort before
old ones. So the restore moves the server's transaction counter past the highest id restored."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import asyncpg
from pydantic import ValidationError

from tvers_cli.backing import provision_databases
from tvers_cli.layout import PUBLISHERS, SERVICES, DataDir
from tvers_cli.ops.backup import MANIFEST, Manifest, sha256
from tvers_cli.ops.backup_keys import copy_keys
from tvers_cli.ops.postgres_tools import (
    SERVICE_DATABASES,
    OperationRefused,
    client_binary,
    database_of,
    run_client,
    split_credentials,
    with_database,
)
from tvers_cli.system import exclusive
from tvers_runtime.aio import run
from tvers_runtime.embedded import EmbeddedPostgres

#: Burning more transaction ids than this on an external server takes too long; refuse instead.
MOST_IDS_TO_BURN = 50_000_000
_HIGHEST = {
    "events": "SELECT max(tx_id)::text FROM events",
    "relay_checkpoints": "SELECT max(tx_id)::text FROM relay_checkpoints",
}


def read_manifest(folder: Path) -> Manifest:
    """The backup's manifest, with every dump checked against its checksum."""
    try:
        manifest = Manifest.model_validate_json((folder / MANIFEST).read_bytes())
    except (OSError, ValidationError) as error:
        raise OperationRefused(f"{folder} holds no finished tvers backup: {error}") from None
    services = [dumped.service for dumped in manifest.databases]
    for dumped in manifest.databases:
        expected = database_of(dumped.service)
        if (
            dumped.service not in SERVICES
            or services.count(dumped.service) > 1
            or dumped.database != expected
            or dumped.file != f"{expected}.dump"
        ):
            raise OperationRefused(
                f"{folder / MANIFEST} is not as tvers backup wrote it: it names the service "
                f"{dumped.service!r}, database {dumped.database!r}, file {dumped.file!r}; "
                "nothing was changed"
            )
    for dumped in manifest.databases:
        path = folder / dumped.file
        if not path.is_file() or sha256(path) != dumped.sha256:
            raise OperationRefused(f"{path} is missing or damaged (its checksum differs)")
    return manifest


@contextlib.contextmanager
def fresh_server(data: DataDir, postgres_url: str | None) -> Iterator[EmbeddedPostgres | None]:
    """The data folder's embedded PostgreSQL (made on first use), running for the restore, and
    the folder locked so that no ``tvers up`` starts on it meanwhile; None with an external one."""
    made_here = not data.root.exists() or (
        data.root.is_dir() and {c.name for c in data.root.iterdir()} <= {data.lock.name}
    )
    data.create()
    with exclusive(data):
        try:
            if postgres_url is not None:
                yield None
                return
            server = EmbeddedPostgres(data.postgres, password=data.secret("postgres.password"))
            server.start()
            try:
                yield server
            finally:
                server.stop()
        except BaseException:
            # A half-restored folder would only be refused by the next restore: empty the one
            # made here again (still holding its lock, so no tvers up is using it).
            if made_here:
                for child in data.root.iterdir():
                    if child != data.lock:
                        shutil.rmtree(child) if child.is_dir() else child.unlink()
            raise


def restore(
    folder: Path,
    manifest: Manifest,
    data: DataDir,
    keys: dict[str, Path],
    server: EmbeddedPostgres | None,
    postgres_url: str | None,
) -> None:
    """Restore every database of the backup in ``folder`` (its ``manifest`` read and checked),
    then put the ``keys`` into the data folder's secrets; see the module doc."""
    admin = postgres_url or (server.url() if server else "")
    held, major = run(_server(admin))
    if held:
        raise OperationRefused(
            f"the server already holds {', '.join(held)}: restore into a fresh data folder "
            "(--data-dir) or a server without tvers' databases; nothing was changed"
        )
    run(provision_databases(admin, data))
    pg_restore = client_binary("pg_restore", major, embedded=server is not None)
    for dumped in manifest.databases:
        url, environment = split_credentials(admin, dumped.database)
        run_client(
            [
                str(pg_restore),
                "--no-owner",
                "--no-privileges",
                f"--role={database_of(dumped.service)}",
                "--exit-on-error",
                f"--dbname={url}",
                str(folder / dumped.file),
            ],
            environment,
        )
    move_transaction_ids_past(admin, run(highest_restored_id(admin)), server)
    for name, source in keys.items():
        copy_keys(source.parent, data.secrets, [name])


async def _server(admin: str) -> tuple[list[str], int]:
    """Which service databases the server already holds, and its major version."""
    connection = await asyncpg.connect(admin)
    try:
        rows = await connection.fetch(
            "SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY 1",
            list(SERVICE_DATABASES),
        )
        number = int(await connection.fetchval("SHOW server_version_num"))
    finally:
        await connection.close()
    return [row[0] for row in rows], number // 10000


async def highest_restored_id(admin: str) -> int:
    """The highest transaction id in the restored event logs and relay checkpoints."""
    highest = 0
    for service in PUBLISHERS:
        connection = await asyncpg.connect(with_database(admin, database_of(service)))
        try:
            for table, query in _HIGHEST.items():
                if await connection.fetchval("SELECT to_regclass($1) IS NOT NULL", table):
                    highest = max(highest, int(await connection.fetchval(query) or 0))
        finally:
            await connection.close()
    return highest


async def current_id(admin: str) -> int:
    """The server's next transaction id, more or less (this takes one)."""
    connection = await asyncpg.connect(admin)
    try:
        return int(await connection.fetchval("SELECT pg_current_xact_id()::text"))
    finally:
        await connection.close()


def move_transaction_ids_past(admin: str, highest: int, server: EmbeddedPostgres | None) -> None:
    """Make every later transaction id higher than ``highest``: on the embedded server by moving
    its epoch on (``pg_resetwal -e``, instant); on an external one by using up ids."""
    behind = highest - run(current_id(admin)) + 1
    if behind <= 0:
        return
    if server is not None:
        server.stop()
        server.set_transaction_epoch((highest >> 32) + 1)
        server.start()
    elif behind > MOST_IDS_TO_BURN:
        raise OperationRefused(
            f"the server's transaction ids are {behind} behind the backup's; restore into a "
            "fresh embedded data folder, or into a server that has run longer"
        )
    else:
        run(burn_transaction_ids(admin, behind))
    if run(current_id(admin)) <= highest:
        raise OperationRefused("the server's transaction ids did not move past the backup's")


async def burn_transaction_ids(admin: str, count: int) -> None:
    """Use up ``count`` transaction ids, each in a transaction of its own."""
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute("SET synchronous_commit = off")  # they store nothing
        await connection.execute(
            f"DO $$ BEGIN FOR i IN 1..{int(count)} LOOP "
            "PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$"
        )
    finally:
        await connection.close()
