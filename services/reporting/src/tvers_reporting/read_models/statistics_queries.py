"""What the national statistics count, read from the read models for one Europe/Oslo year; the
counting itself is :mod:`tvers_reporting.domain.national_statistics`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import asyncpg

from tvers_reporting.domain.national_statistics import (
    BranchYear,
    SchoolEvents,
    Span,
    counted,
    counting_spans,
    year_days,
    year_instants,
)
from tvers_reporting.read_models.open_hours import OpenHours, open_periods
from tvers_runtime.projection import Projection, live_schema


@dataclass(frozen=True)
class StatisticsSources:
    """The read models the figures come from."""

    branches: Projection
    open_hours: OpenHours
    people_counts: Projection
    meirope_entries: Projection
    school_visits: Projection
    theme_days: Projection


@dataclass(frozen=True)
class StatisticsInput:
    """Each branch's year, and the events for schools held at no branch."""

    branches: list[BranchYear]
    elsewhere: SchoolEvents
    names: dict[str, str]


async def _by_branch(pool: asyncpg.Pool, sql: str, *args: object) -> dict[str | None, list[int]]:
    return {row[0]: [int(v) for v in row[1:]] for row in await pool.fetch(sql, *args)}


async def _entries_per_span(
    pool: asyncpg.Pool, schema: str, tenant: str, branch_id: str, spans: list[Span]
) -> list[tuple[Span, int]]:
    rows = await pool.fetch(
        f"""
        SELECT p.i, coalesce(sum(e.entries), 0)::bigint AS entries
        FROM unnest($3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS p(starts, ends, i)
        LEFT JOIN "{schema}".entries e ON e.tenant = $1 AND e.branch_id = $2
            AND e.counted_at >= p.starts AND e.counted_at < p.ends
        GROUP BY p.i ORDER BY p.i
        """,  # noqa: S608 - constant identifiers
        tenant,
        branch_id,
        [s.starts for s in spans],
        [s.ends for s in spans],
    )
    return [(spans[row["i"] - 1], int(row["entries"])) for row in rows]


async def statistics_input(
    pool: asyncpg.Pool, sources: StatisticsSources, *, tenant: str, year: int
) -> StatisticsInput:
    """Everything the year's figures are counted from."""
    first, last = year_days(year)
    start, end = year_instants(year)
    # From New Year's Eve before: its night may run into the year.
    periods = await open_periods(
        pool, sources.open_hours, tenant=tenant, first=first - timedelta(days=1), last=last
    )
    counts = live_schema(sources.people_counts)
    counter_totals = await _by_branch(
        pool,
        f"""SELECT branch_id, sum(entries) FROM "{counts}".entries
        WHERE tenant = $1 AND counted_at >= $2 AND counted_at < $3 GROUP BY 1""",  # noqa: S608
        tenant,
        start,
        end,
    )
    card_entries = await _by_branch(
        pool,
        f"""SELECT branch_id, sum(meirope) FROM "{live_schema(sources.meirope_entries)}".entries
        WHERE tenant = $1 AND day BETWEEN $2 AND $3 GROUP BY 1""",  # noqa: S608
        tenant,
        first,
        last,
    )
    class_visits = await _by_branch(
        pool,
        f"""SELECT branch_id, count(*), coalesce(sum(pupils_present), 0)
        FROM "{live_schema(sources.school_visits)}".visits
        WHERE tenant = $1 AND state = 'held' AND held_on BETWEEN $2 AND $3
        GROUP BY 1""",  # noqa: S608
        tenant,
        first,
        last,
    )
    theme = live_schema(sources.theme_days)
    theme_days = await _by_branch(
        pool,
        f"""SELECT t.branch_id, count(DISTINCT t.theme_day_id), coalesce(sum(p.participants), 0)
        FROM "{theme}".theme_days t LEFT JOIN "{theme}".participants p USING (tenant, theme_day_id)
        WHERE t.tenant = $1 AND t.stage = 'held' AND t.day BETWEEN $2 AND $3
        GROUP BY 1""",  # noqa: S608
        tenant,
        first,
        last,
    )
    names = {
        row[0]: row[1]
        for row in await pool.fetch(
            f'SELECT branch_id, name FROM "{live_schema(sources.branches)}".branches'  # noqa: S608
            " WHERE tenant = $1",
            tenant,
        )
    }
    known = {*names, *periods, *counter_totals, *card_entries, *class_visits, *theme_days}
    branches: list[BranchYear] = []
    for branch in sorted(b for b in known if b is not None):
        branch_periods = periods.get(branch, [])
        found = None
        if branch in counter_totals:
            spans = counting_spans(branch_periods, year)
            per_span = await _entries_per_span(pool, counts, tenant, branch, spans)
            found = counted(per_span, counter_totals[branch][0])
        visits, pupils = class_visits.get(branch, [0, 0])
        days, participants = theme_days.get(branch, [0, 0])
        branches.append(
            BranchYear(
                branch,
                [p for p in branch_periods if p.day >= first],
                found,
                card_entries.get(branch, [0])[0],
                SchoolEvents(visits, pupils, days, participants),
            )
        )
    days, participants = theme_days.get(None, [0, 0])
    return StatisticsInput(
        branches, SchoolEvents(theme_days=days, participants=participants), names
    )
