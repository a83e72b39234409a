"""Reading the reporting read models (the dashboard and API never read an event store).

While a new release rebuilds a read model, the old tables serve: a measure the old table does not
have yet reads as ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from tvers_reporting.read_models.daily_activity import NAMES
from tvers_runtime.projection import Projection, live_schema

Counts = dict[str, int | None]


@dataclass(frozen=True)
class DailyRow:
    """One branch on one day."""

    branch_id: str
    day: date
    counts: Counts


async def _measures_in(connection: asyncpg.Pool, schema: str) -> list[str]:
    """The measures the live ``daily`` table has (all of them, unless it is being upgraded)."""
    rows = await connection.fetch(
        """
        SELECT attname FROM pg_attribute
        WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped
        """,
        f'"{schema}".daily',
    )
    present = {row[0] for row in rows}
    return [name for name in NAMES if name in present]


def _select(present: list[str], aggregate: bool) -> str:
    def one(name: str) -> str:
        if name not in present:
            return f"NULL::int AS {name}"
        return f"sum({name})::int AS {name}" if aggregate else name

    return ", ".join(one(name) for name in NAMES)


async def daily_rows(
    pool: asyncpg.Pool,
    projection: Projection,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> list[DailyRow]:
    """Activity per branch and day within a period."""
    schema = live_schema(projection)
    present = await _measures_in(pool, schema)
    rows = await pool.fetch(
        f"""
        SELECT branch_id, day, {_select(present, aggregate=False)} FROM "{schema}".daily
        WHERE tenant = $1 AND day BETWEEN $2 AND $3 AND ($4::text IS NULL OR branch_id = $4)
        ORDER BY day, branch_id
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        branch_id,
    )
    return [DailyRow(r["branch_id"], r["day"], {c: r[c] for c in NAMES}) for r in rows]


async def totals_by_branch(
    pool: asyncpg.Pool, projection: Projection, *, tenant: str, first: date, last: date
) -> dict[str, Counts]:
    """Each branch's counts summed over a period."""
    schema = live_schema(projection)
    present = await _measures_in(pool, schema)
    rows = await pool.fetch(
        f"""
        SELECT branch_id, {_select(present, aggregate=True)} FROM "{schema}".daily
        WHERE tenant = $1 AND day BETWEEN $2 AND $3
        GROUP BY branch_id ORDER BY branch_id
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
    )
    return {r["branch_id"]: {c: r[c] for c in NAMES} for r in rows}


async def branch_names(
    pool: asyncpg.Pool, projection: Projection, *, tenant: str
) -> dict[str, str]:
    """Branch names by id."""
    rows = await pool.fetch(
        f'SELECT branch_id, name FROM "{live_schema(projection)}".branches WHERE tenant = $1',  # noqa: S608
        tenant,
    )
    return {row["branch_id"]: row["name"] for row in rows}


async def dead_letter_counts(pool: asyncpg.Pool, projection: Projection) -> dict[str, int]:
    """Messages the projection parked in its dead-letter table, per source stream."""
    rows = await pool.fetch(
        f'SELECT source, count(*)::int AS n FROM "{live_schema(projection)}"._dead_letters'  # noqa: S608
        " GROUP BY source"
    )
    return {row["source"]: row["n"] for row in rows}
