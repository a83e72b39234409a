"""``tvers backup DIR``: every service database as a ``pg_dump`` file, the data folder's keys, and
a manifest (decision 0050). JetStream is not backed up: the relays republish it from the event
stores."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from pydantic import BaseModel

from tvers_cli.layout import SERVICES, DataDir
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
#: The data folder's keys a restored system needs to read its own data: token signatures, the
#: patron references (access's agreements and monthly references) and the volunteers' vault.
KEY_FILES = ("auth-signing.key", "patron.key", "vault-master.key")
KEYS = "keys"
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
    """What a backup holds (no secret: the keys are files beside it)."""

    format: int = 1
    made_at: datetime
    tenant: str
    postgres_version: str
    pg_dump: str
    databases: list[DumpedDatabase]
    keys: list[str]


def private_file(path: Path) -> None:
    """Make an empty file only its owner may read (the dumps hold personal data)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


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
    folder: Path, admin_url: str, data: DataDir, *, tenant: str, with_keys: bool, embedded: bool
) -> Manifest:
    """Dump every service database into ``folder`` (new or empty), with the keys unless told
    not to, and write the manifest last: a folder without one is no finished backup."""
    if folder.exists() and any(folder.iterdir()):
        raise OperationRefused(f"{folder} is not empty: back up into a new folder")
    version, major, services = run(_server(admin_url))
    if not services:
        raise OperationRefused("the server holds no service database (tvers_access, ...)")
    pg_dump = client_binary("pg_dump", major, embedded=embedded)
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
    keys = copy_keys(data.secrets, folder / KEYS) if with_keys else []
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


def copy_keys(source: Path, target: Path) -> list[str]:
    """Copy the key files ``source`` has into ``target`` (made private); the names copied."""
    present = [name for name in KEY_FILES if (source / name).is_file()]
    if present:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        target.chmod(0o700)
    for name in present:
        if not (target / name).exists():
            private_file(target / name)
        shutil.copyfile(source / name, target / name)
        (target / name).chmod(0o600)
    return present
