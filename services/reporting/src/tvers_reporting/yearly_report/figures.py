"""The figures of one calendar year, read from the read models (the one I/O of the report).

The schools' figures are those of the school year that ends in the calendar year (1 August of
the year before to 30 June): the only school year whose coverage is complete by the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from tvers_reporting.read_models import meirope_queries, school_queries, volunteer_queries
from tvers_reporting.read_models.host_coverage import HostCoverage, host_coverage
from tvers_reporting.read_models.meirope_denials import MeiropeDenials
from tvers_reporting.read_models.meirope_entries import MeiropeEntries
from tvers_reporting.read_models.meirope_incidents import MeiropeIncidents
from tvers_reporting.read_models.meirope_visitors import MeiropeVisitors
from tvers_reporting.read_models.queries import branch_names
from tvers_reporting.read_models.school_queries import Coverage, DepositCounts, Reach, ThemeDayRow
from tvers_reporting.read_models.volunteer_shifts import VolunteerShifts
from tvers_reporting.read_models.volunteers import Volunteers
from tvers_runtime.projection import Projection

Row = Mapping[str, Any]


@dataclass(frozen=True)
class ReportModels:
    """The read models the report reads."""

    branches: Projection
    entries: MeiropeEntries
    denials: MeiropeDenials
    visitors: MeiropeVisitors
    incidents: MeiropeIncidents
    shifts: VolunteerShifts
    volunteers: Volunteers
    host_coverage: HostCoverage
    schools: Projection
    school_visits: Projection
    deposits: Projection
    theme_days: Projection


@dataclass(frozen=True)
class YearFigures:
    """Everything the yearly report shows, as the read models answer it."""

    year: int
    library: str
    made_on: date
    school_year: str
    branch_names: Mapping[str, str]
    school_names: Mapping[str, str]
    entries_by_hour: Sequence[Row]
    denials: Sequence[Row]
    visitors: Sequence[Row]
    incidents: Sequence[Row]
    shifts: Sequence[Row]
    hours: Sequence[Row]
    active_volunteers: int
    host_coverage: Sequence[Row]
    coverage: Sequence[Coverage]
    reach: Sequence[Reach]
    deposits: Sequence[DepositCounts]
    theme_days: Sequence[ThemeDayRow]


def school_year_ending_in(year: int) -> str:
    """The school year that ends in June of ``year`` (``2025-2026`` for 2026)."""
    return f"{year - 1}-{year}"


async def gather(
    pool: asyncpg.Pool,
    models: ReportModels,
    *,
    tenant: str,
    year: int,
    library: str,
    made_on: date,
) -> YearFigures:
    """Read the year's figures of every strand for one tenant."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    period: dict[str, Any] = {"tenant": tenant, "first": first, "last": last}
    school_year = school_year_ending_in(year)
    schools: dict[str, Any] = {"tenant": tenant, "school_year": school_year}
    active = await volunteer_queries.active_volunteers(pool, models.volunteers, **period)
    return YearFigures(
        year=year,
        library=library,
        made_on=made_on,
        school_year=school_year,
        branch_names=await branch_names(pool, models.branches, tenant=tenant),
        school_names=await school_queries.school_names(pool, models.schools, tenant=tenant),
        entries_by_hour=await meirope_queries.entries_by_hour(pool, models.entries, **period),
        denials=await meirope_queries.denials_by_reason(pool, models.denials, **period),
        visitors=await meirope_queries.visitors_by_month(pool, models.visitors, **period),
        incidents=await meirope_queries.incidents_by_day(pool, models.incidents, **period),
        shifts=await volunteer_queries.shifts_by_week(pool, models.shifts, **period),
        hours=await volunteer_queries.hours_by_month(pool, models.volunteers, **period),
        active_volunteers=int(active["active"]),
        host_coverage=await host_coverage(pool, models.host_coverage, **period),
        coverage=await school_queries.coverage(pool, models.school_visits, **schools),
        reach=await school_queries.reach(pool, models.school_visits, **schools),
        deposits=await school_queries.deposit_counts(
            pool, models.deposits, tenant=tenant, school_year=school_year, on=min(last, made_on)
        ),
        theme_days=await school_queries.theme_days(pool, models.theme_days, **schools),
    )
