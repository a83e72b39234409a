"""Versioned SQL migrations, applied at start-up.

Each component of a service (the event store, the relay, the service's own read models) brings a
folder of plain SQL files named ``NNNN_description.sql``. They are applied in order, once each,
every file in its own transaction, under an advisory lock so that several instances starting
together do not race. Applying them again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import structlog

from tvers_runtime.db.types import Connection

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 0x7E25_0001  # one fixed advisory-lock key for migrations in any tvers database
#: Lifts transaction_timeout (PostgreSQL 17+) for the rest of the migration's transaction.
_NO_TRANSACTION_TIMEOUT = """
    SELECT CASE WHEN current_setting('server_version_num')::int >= 170000
                THEN set_config('transaction_timeout', '0', true) END
"""

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Migration:
    """One SQL file of one source."""

    source: str
    version: int
    name: str
    path: Path


@dataclass(frozen=True)
class MigrationSource:
    """A named folder of migrations, e.g. ``eventstore`` or ``access``."""

    name: str
    folder: Path

    def migrations(self) -> list[Migration]:
        """The folder's migrations, in version order; a misnamed file is an error."""
        found: list[Migration] = []
        for path in sorted(self.folder.glob("*.sql")):
            match = _FILE_NAME.match(path.name)
            if not match:
                raise ValueError(f"migration file name must be NNNN_name.sql: {path}")
            found.append(Migration(self.name, int(match[1]), match[2], path))
        versions = [m.version for m in found]
        if len(set(versions)) != len(versions):
            raise ValueError(f"two migrations share a version in {self.folder}")
        return found


async def apply_migrations(
    connection: Connection, sources: list[MigrationSource]
) -> list[Migration]:
    """Apply every migration not yet applied; return those applied now."""
    applied_now: list[Migration] = []
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
        await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                source text NOT NULL,
                version integer NOT NULL,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (source, version)
            )
            """
        )
    for source in sources:
        for migration in source.migrations():
            async with connection.transaction():
                await connection.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
                done = await connection.fetchval(
                    "SELECT true FROM schema_migrations WHERE source = $1 AND version = $2",
                    migration.source,
                    migration.version,
                )
                if done:
                    continue
                # A migration may rightly take longer than the roles' transaction_timeout.
                await connection.execute(_NO_TRANSACTION_TIMEOUT)
                await connection.execute(migration.path.read_text(encoding="utf-8"))
                await connection.execute(
                    "INSERT INTO schema_migrations (source, version, name) VALUES ($1, $2, $3)",
                    migration.source,
                    migration.version,
                    migration.name,
                )
                applied_now.append(migration)
                log.info("migration_applied", source=migration.source, version=migration.version)
    return applied_now
