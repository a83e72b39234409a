"""Reading the meirope read models: only counts leave here, never a patron reference."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from tvers_reporting.read_models.meirope_denials import MeiropeDenials
from tvers_reporting.read_models.meirope_entries import MeiropeEntries
from tvers_reporting.read_models.meirope_incidents import MeiropeIncidents
from tvers_reporting.read_models.meirope_visitors import MeiropeVisitors
from tvers_runtime.projection import live_schema

Row = dict[str, Any]


async def denials_by_reason(
    pool: asyncpg.Pool,
    projection: MeiropeDenials,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> list[Row]:
    """Per branch, day within the period and reason: denials in staffed hours, in meirope hours
    and while the branch was closed."""
    rows = await pool.fetch(
        f"""
        SELECT branch_id, day, reason,
            coalesce(sum(denials) FILTER (WHERE opening = 'staffed'), 0)::int AS staffed,
            coalesce(sum(denials) FILTER (WHERE opening = 'meirope'), 0)::int AS meirope,
            coalesce(sum(denials) FILTER (WHERE opening = 'closed'), 0)::int AS closed
        FROM "{live_schema(projection)}".denials
        WHERE tenant = $1 AND day BETWEEN $2 AND $3 AND ($4::text IS NULL OR branch_id = $4)
        GROUP BY 1, 2, 3 ORDER BY 2, 1, 3
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        branch_id,
    )
    return [dict(row) for row in rows]


async def entries_by_hour(
    pool: asyncpg.Pool,
    projection: MeiropeEntries,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> list[Row]:
    """Per branch, ISO weekday and local hour, the entries on the days of the period."""
    rows = await pool.fetch(
        f"""
        SELECT branch_id, extract(isodow FROM day)::int AS weekday, hour::int AS hour,
            sum(staffed)::int AS staffed, sum(meirope)::int AS meirope
        FROM "{live_schema(projection)}".entries
        WHERE tenant = $1 AND day BETWEEN $2 AND $3 AND ($4::text IS NULL OR branch_id = $4)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        branch_id,
    )
    return [dict(row) for row in rows]


async def visitors_by_month(
    pool: asyncpg.Pool,
    projection: MeiropeVisitors,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> list[Row]:
    """Per branch and month (its first day) overlapping the period, the distinct visitors."""
    schema = live_schema(projection)
    rows = await pool.fetch(
        f"""
        SELECT branch_id, month, visitors FROM (
            SELECT branch_id, month, count(*)::int AS visitors FROM "{schema}".refs
            WHERE tenant = $1 GROUP BY 1, 2
            UNION ALL
            SELECT branch_id, month, visitors FROM "{schema}".closed_months WHERE tenant = $1
        ) AS m
        WHERE month BETWEEN date_trunc('month', $2::date)::date AND $3
            AND ($4::text IS NULL OR branch_id = $4)
        ORDER BY 2, 1
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        branch_id,
    )
    return [dict(row) for row in rows]


async def incidents_by_day(
    pool: asyncpg.Pool,
    projection: MeiropeIncidents,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> list[Row]:
    """Per branch and day within the period: alarms by kind, suspected tailgating, closings
    with people left inside and how many were left in all."""
    schema = live_schema(projection)
    rows = await pool.fetch(
        f"""
        WITH closed AS (
            SELECT branch_id, day, count(*)::int AS closings_with_occupants,
                sum(occupants)::int AS occupants_at_closing
            FROM "{schema}".closings WHERE tenant = $1 GROUP BY 1, 2
        ), counted AS (
            SELECT branch_id, day, held_open, forced, tailgating
            FROM "{schema}".incidents WHERE tenant = $1
        )
        SELECT branch_id, day,
            coalesce(c.held_open, 0) AS held_open, coalesce(c.forced, 0) AS forced,
            coalesce(c.tailgating, 0) AS tailgating,
            coalesce(o.closings_with_occupants, 0) AS closings_with_occupants,
            coalesce(o.occupants_at_closing, 0) AS occupants_at_closing
        FROM counted c FULL JOIN closed o USING (branch_id, day)
        WHERE day BETWEEN $2 AND $3 AND ($4::text IS NULL OR branch_id = $4)
        ORDER BY 2, 1
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        branch_id,
    )
    return [dict(row) for row in rows]


async def latest_entry_day(
    pool: asyncpg.Pool,
    projection: MeiropeEntries,
    *,
    tenant: str,
    until: date,
    branch_id: str | None = None,
) -> date | None:
    """The latest day up to ``until`` with entries, if any."""
    day: date | None = await pool.fetchval(
        f"""SELECT max(day) FROM "{live_schema(projection)}".entries
        WHERE tenant = $1 AND day <= $2 AND ($3::text IS NULL OR branch_id = $3)""",  # noqa: S608
        tenant,
        until,
        branch_id,
    )
    return day
