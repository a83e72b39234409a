"""A read model's schema: the projection's own tables and the runner's bookkeeping."""

from __future__ import annotations

import asyncpg

from tvers_runtime.db.types import Connection
from tvers_runtime.projection.projection import Projection, shape_of

#: The runner's tables, in every read model schema beside the projection's own.
BOOKKEEPING_SQL = """
CREATE TABLE _meta (
    shape text NOT NULL,
    built_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE _checkpoints (
    source text PRIMARY KEY,
    sequence bigint NOT NULL DEFAULT 0,
    event_id text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE _stream_versions (
    source text NOT NULL,
    stream_id text NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (source, stream_id)
);
CREATE TABLE _dead_letters (
    source text NOT NULL,
    sequence bigint NOT NULL,
    subject text NOT NULL,
    stream_id text,
    event_id uuid,
    event_type text,
    headers jsonb NOT NULL,
    data bytea NOT NULL,
    reason text NOT NULL,
    parked_behind bigint,
    failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, sequence)
);
CREATE INDEX _dead_letters_stream ON _dead_letters (source, stream_id);
"""


def quote(identifier: str) -> str:
    """Quote an identifier we built ourselves (schema names)."""
    return '"' + identifier.replace('"', '""') + '"'


def search_path(schema: str) -> str:
    """The search path that points unqualified names at ``schema``."""
    return f"{quote(schema)}, public"


async def use_schema(connection: Connection, schema: str) -> None:
    """Point unqualified names at ``schema`` for the rest of the transaction."""
    await connection.execute("SELECT set_config('search_path', $1, true)", search_path(schema))


async def create_read_model(connection: Connection, projection: Projection, schema: str) -> None:
    """Create the schema and its tables, with a zero checkpoint per source. In a transaction."""
    await connection.execute(f"CREATE SCHEMA {quote(schema)}")
    await use_schema(connection, schema)
    await connection.execute(BOOKKEEPING_SQL)
    await connection.execute(projection.tables_sql)
    await connection.execute("INSERT INTO _meta (shape) VALUES ($1)", shape_of(projection))
    await connection.executemany(
        "INSERT INTO _checkpoints (source) VALUES ($1)",
        [(source.stream,) for source in projection.sources],
    )


async def shape_in(connection: Connection, schema: str) -> str | None:
    """The shape of the read model in ``schema`` (None when it has none: built by code older than
    versioned read models, or not there at all)."""
    table = await connection.fetchval("SELECT to_regclass($1)", f"{quote(schema)}._meta")
    if table is None:
        return None
    shape: str | None = await connection.fetchval(
        f"SELECT shape FROM {quote(schema)}._meta LIMIT 1"  # noqa: S608 - our own identifier
    )
    return shape


async def ensure_read_model(
    pool: asyncpg.Pool, projection: Projection, schema: str, lock_key: str
) -> str | None:
    """Create the live read model unless it exists (several instances may race: lock), and a
    checkpoint for every source, including one added since it was created. Returns the shape of
    the live read model."""
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", lock_key)
        exists = await connection.fetchval(
            "SELECT true FROM pg_namespace WHERE nspname = $1", schema
        )
        if not exists:
            await create_read_model(connection, projection, schema)
            return shape_of(projection)
        shape = await shape_in(connection, schema)
        if shape == shape_of(projection):
            await use_schema(connection, schema)
            await connection.executemany(
                "INSERT INTO _checkpoints (source) VALUES ($1) ON CONFLICT (source) DO NOTHING",
                [(source.stream,) for source in projection.sources],
            )
        return shape
