"""Reading the schools' read models: coverage of the programmes, pupils reached, deposits by
status and theme days with their participants. Every query is bound to one tenant.

**Coverage.** The classes of a school year are those its schools registered for it, and any
other class a programme visit names (one recorded before its school's classes were entered). A
class's state follows its programme visit (``second_grade`` for grade 2, ``ninth_grade`` for
grade 9): held, booked, or, with none or only cancelled ones, not yet. A class has at most one
active programme visit a year (decision 0031), so that is its latest; a held one is never undone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from tvers_reporting.read_models.deposits import STATUSES
from tvers_runtime.projection import Projection, live_schema


@dataclass(frozen=True)
class Coverage:
    """One school's classes of one programme grade in a school year."""

    school_id: str
    grade: int
    classes: int
    booked: int
    held: int
    not_yet: int


@dataclass(frozen=True)
class Reach:
    """Held visits of one school at one branch in a school year."""

    school_id: str
    branch_id: str
    visits: int
    pupils: int
    library_cards: int


@dataclass(frozen=True)
class DepositCounts:
    """One school's deposits per current status, and how many are overdue on a day."""

    school_id: str
    by_status: dict[str, int]
    overdue: int


@dataclass(frozen=True)
class ThemeDayRow:
    """A theme day and, when held, how many took part per school."""

    theme_day_id: UUID
    school_year: str
    day: date
    topic: str
    branch_id: str | None
    place: str | None
    stage: str
    participants: dict[str, int]


async def coverage(
    pool: asyncpg.Pool,
    projection: Projection,
    *,
    tenant: str,
    school_year: str,
    school_id: str | None = None,
) -> list[Coverage]:
    """Per school and programme grade: classes, and how many are booked, held and not yet."""
    schema = live_schema(projection)
    rows = await pool.fetch(
        f"""
        WITH programme AS (
            SELECT school_id, grade, class_label,
                   CASE WHEN bool_or(state = 'held') THEN 'held'
                        WHEN bool_or(state = 'booked') THEN 'booked'
                        ELSE 'not_yet' END AS state
            FROM "{schema}".visits
            WHERE tenant = $1 AND school_year = $2 AND ($3::text IS NULL OR school_id = $3)
              AND ((grade = 2 AND programme = 'second_grade')
                   OR (grade = 9 AND programme = 'ninth_grade'))
            GROUP BY school_id, grade, class_label
        ), known AS (
            SELECT school_id, grade, class_label FROM "{schema}".classes
            WHERE tenant = $1 AND school_year = $2 AND ($3::text IS NULL OR school_id = $3)
              AND grade IN (2, 9)
            UNION
            SELECT school_id, grade, class_label FROM programme
        )
        SELECT k.school_id, k.grade, count(*)::int AS classes,
               count(*) FILTER (WHERE p.state = 'booked')::int AS booked,
               count(*) FILTER (WHERE p.state = 'held')::int AS held,
               count(*) FILTER (WHERE coalesce(p.state, 'not_yet') = 'not_yet')::int AS not_yet
        FROM known k LEFT JOIN programme p USING (school_id, grade, class_label)
        GROUP BY k.school_id, k.grade
        ORDER BY k.school_id, k.grade
        """,  # noqa: S608 - constant identifiers
        tenant,
        school_year,
        school_id,
    )
    return [Coverage(**dict(row)) for row in rows]


async def reach(
    pool: asyncpg.Pool,
    projection: Projection,
    *,
    tenant: str,
    school_year: str,
    school_id: str | None = None,
    branch_id: str | None = None,
) -> list[Reach]:
    """Per school and branch: visits held, pupils present and library cards handed out."""
    rows = await pool.fetch(
        f"""
        SELECT school_id, branch_id, count(*)::int AS visits,
               sum(pupils_present)::int AS pupils, sum(library_cards)::int AS library_cards
        FROM "{live_schema(projection)}".visits
        WHERE tenant = $1 AND school_year = $2 AND state = 'held'
          AND ($3::text IS NULL OR school_id = $3) AND ($4::text IS NULL OR branch_id = $4)
        GROUP BY school_id, branch_id
        ORDER BY school_id, branch_id
        """,  # noqa: S608 - constant identifiers
        tenant,
        school_year,
        school_id,
        branch_id,
    )
    return [Reach(**dict(row)) for row in rows]


async def deposit_counts(
    pool: asyncpg.Pool,
    projection: Projection,
    *,
    tenant: str,
    on: date,
    school_year: str | None = None,
    school_id: str | None = None,
) -> list[DepositCounts]:
    """Per school: deposits per current status, and those overdue on ``on`` (delivered, not
    returned, and due before that day)."""
    rows = await pool.fetch(
        f"""
        SELECT school_id, status, count(*)::int AS n,
               count(*) FILTER (WHERE status = 'delivered' AND due_on < $4)::int AS overdue
        FROM "{live_schema(projection)}".deposits
        WHERE tenant = $1 AND ($2::text IS NULL OR school_year = $2)
          AND ($3::text IS NULL OR school_id = $3)
        GROUP BY school_id, status
        ORDER BY school_id
        """,  # noqa: S608 - constant identifiers
        tenant,
        school_year,
        school_id,
        on,
    )
    schools: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = schools.setdefault(
            row["school_id"], {"by_status": dict.fromkeys(STATUSES, 0), "overdue": 0}
        )
        entry["by_status"][row["status"]] = row["n"]
        entry["overdue"] += row["overdue"]
    return [DepositCounts(school, **entry) for school, entry in schools.items()]


async def theme_days(
    pool: asyncpg.Pool,
    projection: Projection,
    *,
    tenant: str,
    school_year: str,
    school_id: str | None = None,
) -> list[ThemeDayRow]:
    """The theme days of a school year by day, each with its participants per school (held ones
    only have them); with ``school_id``, the days that school took part in."""
    schema = live_schema(projection)
    rows = await pool.fetch(
        f"""
        SELECT d.theme_day_id, d.school_year, d.day, d.topic, d.branch_id, d.place, d.stage,
               coalesce(
                   jsonb_object_agg(p.school_id, p.participants)
                       FILTER (WHERE p.school_id IS NOT NULL),
                   '{{}}'::jsonb
               )::text AS participants
        FROM "{schema}".theme_days d
        LEFT JOIN "{schema}".participants p
          ON p.tenant = d.tenant AND p.theme_day_id = d.theme_day_id AND d.stage = 'held'
        WHERE d.tenant = $1 AND d.school_year = $2
        GROUP BY d.theme_day_id, d.school_year, d.day, d.topic, d.branch_id, d.place, d.stage
        HAVING $3::text IS NULL OR bool_or(p.school_id = $3)
        ORDER BY d.day, d.theme_day_id
        """,  # noqa: S608 - constant identifiers
        tenant,
        school_year,
        school_id,
    )
    return [
        ThemeDayRow(**{**dict(row), "participants": json.loads(row["participants"])})
        for row in rows
    ]


async def school_names(
    pool: asyncpg.Pool, projection: Projection, *, tenant: str
) -> dict[str, str]:
    """School names by id."""
    rows = await pool.fetch(
        f'SELECT school_id, name FROM "{live_schema(projection)}".schools WHERE tenant = $1',  # noqa: S608
        tenant,
    )
    return {row["school_id"]: row["name"] for row in rows}


async def school_years(pool: asyncpg.Pool, projection: Projection, *, tenant: str) -> list[str]:
    """The school years with classes or visits, the latest first."""
    schema = live_schema(projection)
    rows = await pool.fetch(
        f"""SELECT school_year FROM "{schema}".classes WHERE tenant = $1
        UNION SELECT school_year FROM "{schema}".visits WHERE tenant = $1
        ORDER BY 1 DESC""",  # noqa: S608 - constant identifiers
        tenant,
    )
    return [row["school_year"] for row in rows]


async def nearest_branches(
    pool: asyncpg.Pool, projection: Projection, *, tenant: str
) -> dict[str, str]:
    """Each school's nearest branch, by school id."""
    rows = await pool.fetch(
        f"""SELECT school_id, nearest_branch_id FROM "{live_schema(projection)}".schools
        WHERE tenant = $1""",  # noqa: S608 - constant identifiers
        tenant,
    )
    return {row["school_id"]: row["nearest_branch_id"] for row in rows}
