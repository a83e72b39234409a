"""The figures one dashboard page shows, read from the read models for its filters (the only
I/O of the page; :mod:`.panels` shapes them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg
from fastapi import Request

from tvers_reporting.entrypoints.dashboard.filters import Filters
from tvers_reporting.read_models import (
    desk_queries,
    meirope_queries,
    school_queries,
    volunteer_queries,
)
from tvers_reporting.read_models.host_coverage import host_coverage
from tvers_reporting.read_models.open_hours import open_hours
from tvers_reporting.read_models.queries import branch_names, totals_by_branch

Row = dict[str, Any]


@dataclass(frozen=True)
class Figures:
    """Everything one page shows, as the queries answer it."""

    filters: Filters
    today: date
    branch_names: dict[str, str]
    school_names: dict[str, str]
    #: Each school's nearest branch: a branch's schools are those it is nearest to.
    nearest_branch: dict[str, str]
    totals: dict[str, dict[str, int | None]]
    entries: list[Row]
    denials: list[Row]
    visitors: list[Row]
    incidents: list[Row]
    host_coverage: list[Row]
    open_hours: list[Row]
    shifts: list[Row]
    hours: list[Row]
    active: Row
    recruitment: list[Row]
    certificates: list[Row]
    coverage: list[school_queries.Coverage]
    reach: list[school_queries.Reach]
    deposits: list[school_queries.DepositCounts]
    theme_days: list[school_queries.ThemeDayRow]
    #: The latest day up to today with door entries, if any.
    latest_entry_day: date | None
    #: The desk log: help per site, department, category and week; the categories more than
    #: one department handled at a site; the referrals between departments.
    desk_demand: list[Row] = field(default_factory=list)
    desk_overlap: list[Row] = field(default_factory=list)
    desk_referrals: list[Row] = field(default_factory=list)


async def gather(
    request: Request, pool: asyncpg.Pool, filters: Filters, *, tenant: str, today: date
) -> Figures:
    """Read every figure of the page."""
    state = request.app.state
    period: dict[str, Any] = {"tenant": tenant, "first": filters.first, "last": filters.last}
    in_branch: dict[str, Any] = {**period, "branch_id": filters.branch_id}
    at_site: dict[str, Any] = {**period, "site": filters.branch_id}  # a site is a branch (0043)
    school_year: dict[str, Any] = {"tenant": tenant, "school_year": filters.school_year}
    return Figures(
        filters=filters,
        today=today,
        branch_names=await branch_names(pool, state.branches, tenant=tenant),
        school_names=await school_queries.school_names(pool, state.schools, tenant=tenant),
        nearest_branch=await school_queries.nearest_branches(pool, state.schools, tenant=tenant),
        totals=await totals_by_branch(pool, state.daily, **period),
        entries=await meirope_queries.entries_by_hour(pool, state.meirope_entries, **in_branch),
        denials=await meirope_queries.denials_by_reason(pool, state.meirope_denials, **in_branch),
        visitors=await meirope_queries.visitors_by_month(pool, state.meirope_visitors, **in_branch),
        incidents=await meirope_queries.incidents_by_day(
            pool, state.meirope_incidents, **in_branch
        ),
        host_coverage=await host_coverage(pool, state.host_coverage, **in_branch),
        open_hours=await open_hours(pool, state.open_hours, **in_branch),
        shifts=await volunteer_queries.shifts_by_week(pool, state.volunteer_shifts, **in_branch),
        hours=await volunteer_queries.hours_by_month(pool, state.volunteers, **in_branch),
        active=await volunteer_queries.active_volunteers(pool, state.volunteers, **period),
        recruitment=await volunteer_queries.recruitment(pool, state.volunteers, **period),
        certificates=await volunteer_queries.certificates_by_month(
            pool, state.volunteers, **period
        ),
        coverage=await school_queries.coverage(pool, state.school_visits, **school_year),
        reach=await school_queries.reach(pool, state.school_visits, **school_year),
        deposits=await school_queries.deposit_counts(
            pool, state.deposits, tenant=tenant, on=today, school_year=filters.school_year
        ),
        theme_days=await school_queries.theme_days(pool, state.theme_days, **school_year),
        latest_entry_day=await meirope_queries.latest_entry_day(
            pool, state.meirope_entries, tenant=tenant, until=today, branch_id=filters.branch_id
        ),
        desk_demand=await desk_queries.demand_by_week(pool, state.desk_help, **at_site),
        desk_overlap=await desk_queries.overlap(pool, state.desk_help, **at_site),
        desk_referrals=await desk_queries.referrals(pool, state.desk_help, **at_site),
    )
