"""Reading the volunteers' read models: only counts and sums leave here, never a volunteer id."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from tvers_reporting.read_models.volunteer_shifts import VolunteerShifts
from tvers_reporting.read_models.volunteers import Volunteers
from tvers_runtime.projection import live_schema

Row = dict[str, Any]


async def shifts_by_week(
    pool: asyncpg.Pool,
    projection: VolunteerShifts,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> list[Row]:
    """Per branch and week (its Monday) with a Monday within the period."""
    rows = await pool.fetch(
        f"""
        SELECT branch_id, week,
            count(*) FILTER (WHERE published)::int AS shifts_published,
            count(*) FILTER (WHERE cancelled)::int AS shifts_cancelled,
            count(*) FILTER (WHERE published AND NOT cancelled AND held >= capacity)::int
                AS shifts_filled,
            coalesce(sum(capacity) FILTER (WHERE published AND NOT cancelled), 0)::int
                AS places_offered,
            sum(places_taken)::int AS places_taken,
            sum(places_released)::int AS places_released,
            sum(waitlist_joins)::int AS waitlist_joins,
            sum(no_shows)::int AS no_shows
        FROM "{live_schema(projection)}".shifts
        WHERE tenant = $1 AND week BETWEEN $2 AND $3 AND ($4::text IS NULL OR branch_id = $4)
        GROUP BY branch_id, week ORDER BY week, branch_id
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        branch_id,
    )
    return [dict(row) for row in rows]


async def hours_by_month(
    pool: asyncpg.Pool,
    projection: Volunteers,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> list[Row]:
    """Time served per branch and month (its first day) with a check-in day within the period:
    whole minutes (rounded down), the shifts served and the volunteers who served them."""
    rows = await pool.fetch(
        f"""
        SELECT branch_id, date_trunc('month', day)::date AS month,
            floor(sum(seconds) / 60)::int AS minutes,
            count(*)::int AS shifts_served,
            count(DISTINCT volunteer_id)::int AS volunteers
        FROM "{live_schema(projection)}".served
        WHERE tenant = $1 AND day BETWEEN $2 AND $3 AND seconds > 0
            AND ($4::text IS NULL OR branch_id = $4)
        GROUP BY 1, 2 ORDER BY 2, 1
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        branch_id,
    )
    return [dict(row) for row in rows]


async def active_volunteers(
    pool: asyncpg.Pool, projection: Volunteers, *, tenant: str, first: date, last: date
) -> Row:
    """Volunteers active now (registered, not deactivated, not erased), and per month of the
    period those who served a shift in it (across branches, each volunteer once)."""
    schema = live_schema(projection)
    active: int = await pool.fetchval(
        f"""SELECT count(*) FROM "{schema}".volunteers
        WHERE tenant = $1 AND NOT deactivated AND NOT erased""",  # noqa: S608
        tenant,
    )
    months = await pool.fetch(
        f"""
        SELECT date_trunc('month', day)::date AS month,
            count(DISTINCT volunteer_id)::int AS volunteers_served
        FROM "{schema}".served
        WHERE tenant = $1 AND day BETWEEN $2 AND $3 AND seconds > 0
        GROUP BY 1 ORDER BY 1
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
    )
    return {"active": active, "months": [dict(row) for row in months]}


async def recruitment(
    pool: asyncpg.Pool, projection: Volunteers, *, tenant: str, first: date, last: date
) -> list[Row]:
    """Per channel and campaign: registrations within the period, and first shifts within it
    (of volunteers registered at any time)."""
    schema = live_schema(projection)
    rows = await pool.fetch(
        f"""
        WITH first_shift AS (
            SELECT volunteer_id, min(day) AS day FROM "{schema}".served
            WHERE tenant = $1 AND seconds > 0 GROUP BY volunteer_id
        )
        SELECT coalesce(c.channel, v.channel) AS channel, v.campaign_id, c.place,
            count(*) FILTER (WHERE v.registered_on BETWEEN $2 AND $3)::int AS registrations,
            count(*) FILTER (WHERE f.day BETWEEN $2 AND $3)::int AS first_shifts
        FROM "{schema}".volunteers v
        LEFT JOIN "{schema}".campaigns c
            ON c.tenant = v.tenant AND c.campaign_id = v.campaign_id
        LEFT JOIN first_shift f ON f.volunteer_id = v.volunteer_id
        WHERE v.tenant = $1
        GROUP BY 1, 2, 3
        HAVING count(*) FILTER (WHERE v.registered_on BETWEEN $2 AND $3) > 0
            OR count(*) FILTER (WHERE f.day BETWEEN $2 AND $3) > 0
        ORDER BY 1, 3 NULLS FIRST, 2
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
    )
    return [dict(row) for row in rows]


async def certificates_by_month(
    pool: asyncpg.Pool, projection: Volunteers, *, tenant: str, first: date, last: date
) -> list[Row]:
    """Certificates issued per month (by the Europe/Oslo day of issue), with the minutes they
    state in all."""
    rows = await pool.fetch(
        f"""
        SELECT date_trunc('month', day)::date AS month, count(*)::int AS certificates,
            sum(minutes)::bigint AS minutes
        FROM "{live_schema(projection)}".certificates
        WHERE tenant = $1 AND day BETWEEN $2 AND $3
        GROUP BY 1 ORDER BY 1
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
    )
    return [dict(row) for row in rows]
