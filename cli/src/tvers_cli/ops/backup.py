"""``tvers backup DIR``: every service database as a ``pg_dump`` file and a manifest, and the data
folder's keys into a folder apart when asked (decision 0050). JetStream is not backed up: the
relays republish it from the event stores."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from pydantic import BaseModel

from tvers_cli.layout import SERVICES, DataDir
from tvers_cli.ops.backup_keys import copy_keys, fingerprints, private_file
from tvers_cli.ops.postgres_tools import (
    OperationRefused,
    client_binary,
    client_version,
    database_of,
    run_client,
    split_credentials,
)
from tvers_runtime.aio import run

MANIFEST = "manifest.json"
#: Consumers before what they consume (reporting first): a read model is then never ahead of the
#: event stores it is restored beside, and the republished streams bring it forward.
DUMP_ORDER = tuple(reversed(SERVICES))


class DumpedDatabase(BaseModel):
    """One database's dump in a backup."""

    service: str
    database: str
    file: str
    bytes: int
    sha256: str


class Manifest(BaseModel):
    """What a backup holds; nothing secret (of the keys only their fingerprints)."""

    format: int = 1
    made_at: datetime
    tenant: str
    postgres_version: str
    pg_dump: str
    databases: list[DumpedDatabase]
    #: The fingerprint of each key of the data folder the data was written with (not the key).
    keys: dict[str, str]


def sha256(path: Path) -> str:
    """The file's SHA-256, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


async def _server(url: str) -> tuple[str, int, list[str]]:
    """The server's version, its major version, and which service databases it holds."""
    connection = await asyncpg.connect(url)
    try:
        version = await connection.fetchval("SHOW server_version")
        number = int(await connection.fetchval("SHOW server_version_num"))
        rows = await connection.fetch("SELECT datname FROM pg_database")
    finally:
        await connection.close()
    present = {row[0] for row in rows}
    return str(version), number // 10000, [s for s in DUMP_ORDER if database_of(s) in present]


def backup(
    folder: Path,
    admin_url: str,
    data: DataDir,
    *,
    tenant: str,
    keys_to: Path | None,
    embedded: bool,
) -> Manifest:
    """Dump every service database into ``folder`` (new or empty), copy the keys into
    ``keys_to`` if given (a folder apart), and write the manifest last: a folder without one is
    no finished backup. The files are readable by their owner only."""
    if folder.exists() and any(folder.iterdir()):
        raise OperationRefused(f"{folder} is not empty: back up into a new folder")
    if keys_to is not None and keys_to.is_relative_to(folder):
        raise OperationRefused("keep the keys apart from the backup: --keys-to another folder")
    version, major, services = run(_server(admin_url))
    if not services:
        raise OperationRefused("the server holds no service database (tvers_access, ...)")
    pg_dump = client_binary("pg_dump", major, embedded=embedded)
    keys = fingerprints(data.secrets)
    if keys_to is not None:
        copy_keys(data.secrets, keys_to, list(keys))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    dumped = []
    for service in services:
        database = database_of(service)
        target = folder / f"{database}.dump"
        private_file(target)
        url, environment = split_credentials(admin_url, database)
        run_client(
            [str(pg_dump), "--format=custom", f"--file={target}", f"--dbname={url}"], environment
        )
        dumped.append(
            DumpedDatabase(
                service=service,
                database=database,
                file=target.name,
                bytes=target.stat().st_size,
                sha256=sha256(target),
            )
        )
    manifest = Manifest(
        made_at=datetime.now(UTC),
        tenant=tenant,
        postgres_version=version,
        pg_dump=client_version(pg_dump),
        databases=dumped,
        keys=keys,
    )
    private_file(folder / MANIFEST)
    (folder / MANIFEST).write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return manifest
