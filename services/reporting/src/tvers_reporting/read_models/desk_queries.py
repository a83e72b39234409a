"""Reading the desk log's read model: demand, the overlap between departments, and the
referrals between them. Undone records count nothing; categories are named as last renamed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import asyncpg

from tvers_reporting.read_models.desk_help import DeskHelp
from tvers_runtime.projection import live_schema

Row = dict[str, Any]

#: The records counted: the tenant's, not undone, given on a day of the period, at the site
#: asked (or any). ``$1`` tenant, ``$2`` first day, ``$3`` last day, ``$4`` site or null.
_COUNTED = """
    tenant = $1 AND NOT undone AND day BETWEEN $2 AND $3 AND ($4::text IS NULL OR site = $4)
"""


async def demand_by_week(
    pool: asyncpg.Pool,
    projection: DeskHelp,
    *,
    tenant: str,
    first: date,
    last: date,
    site: str | None = None,
) -> list[Row]:
    """Per site, department, category and Oslo ISO week (its Monday): help given and how much
    of it was referred on."""
    schema = live_schema(projection)
    rows = await pool.fetch(
        f"""
        SELECT h.site, h.department, h.category_id,
            coalesce(c.name, h.category_id) AS category_name,
            coalesce(c.name_en, h.category_id) AS category_name_en,
            h.week, count(*)::int AS helped, count(h.referred_to)::int AS referred
        FROM "{schema}".help h
        LEFT JOIN "{schema}".categories c USING (tenant, category_id)
        WHERE {_COUNTED}
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 6, 1, 2, 3
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        site,
    )
    return [dict(row) for row in rows]


async def overlap(
    pool: asyncpg.Pool,
    projection: DeskHelp,
    *,
    tenant: str,
    first: date,
    last: date,
    site: str | None = None,
) -> list[Row]:
    """Per site, the categories more than one department handled in the period, with the help
    each department gave in them."""
    schema = live_schema(projection)
    rows = await pool.fetch(
        f"""
        WITH counted AS (
            SELECT site, category_id, department, count(*)::int AS helped
            FROM "{schema}".help h WHERE {_COUNTED}
            GROUP BY 1, 2, 3
        )
        SELECT site, counted.category_id,
            coalesce(min(c.name), counted.category_id) AS category_name,
            coalesce(min(c.name_en), counted.category_id) AS category_name_en,
            jsonb_object_agg(department, helped)::text AS by_department,
            sum(helped)::int AS helped
        FROM counted LEFT JOIN "{schema}".categories c
            ON c.tenant = $1 AND c.category_id = counted.category_id
        GROUP BY 1, 2 HAVING count(DISTINCT department) > 1
        ORDER BY 1, 6 DESC, 2
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        site,
    )
    return [{**dict(row), "by_department": json.loads(row["by_department"])} for row in rows]


async def referrals(
    pool: asyncpg.Pool,
    projection: DeskHelp,
    *,
    tenant: str,
    first: date,
    last: date,
    site: str | None = None,
) -> list[Row]:
    """The referral matrix: per department that helped and department referred to, the
    records of the period (at the site asked, or all)."""
    rows = await pool.fetch(
        f"""
        SELECT department AS from_department, referred_to AS to_department,
            count(*)::int AS referrals
        FROM "{live_schema(projection)}".help
        WHERE {_COUNTED} AND referred_to IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        """,  # noqa: S608 - constant identifiers
        tenant,
        first,
        last,
        site,
    )
    return [dict(row) for row in rows]
