"""How long the yearly report PDF takes to make from a year's figures (decision 0040).

CPU only, in this process, no servers: the figures of a year for ten branches are made up in
the shape the read models answer (every weekday and hour at every branch, 53 weeks of host
coverage, 30 schools and 20 theme days), then assembled into sections and drawn as a PDF with
its six SVG charts, in nynorsk. The reading of the read models is left out: it is a dozen
indexed queries, measured with the dashboard's API.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from benchmarks.stats import percentile
from tvers_reporting.adapters.pdf_report import render
from tvers_reporting.read_models.school_queries import Coverage, DepositCounts, Reach, ThemeDayRow
from tvers_reporting.yearly_report import YearFigures, assemble
from tvers_runtime.i18n import Locale

Result = dict[str, Any]
BRANCHES = [f"branch-{n}" for n in range(10)]
SCHOOLS = [f"school-{n}" for n in range(30)]


def a_year_of_figures(year: int = 2026) -> YearFigures:
    """A full year's figures of ten branches and thirty schools."""
    mondays = [date(year, 1, 5) + timedelta(weeks=w) for w in range(52)]
    months = [date(year, m, 1) for m in range(1, 13)]
    return YearFigures(
        year=year,
        library="Ålesundsbiblioteka",
        made_on=date(year, 12, 31),
        school_year=f"{year - 1}-{year}",
        branch_names={b: f"Avdeling {b[-1]} på Sunnmøre" for b in BRANCHES},
        school_names={s: f"Skule {s[-2:]}" for s in SCHOOLS},
        entries_by_hour=[
            {
                "branch_id": b,
                "weekday": d,
                "hour": h,
                "staffed": 40 * (10 <= h < 16),
                "meirope": 7 * (h < 10 or h >= 16),
            }
            for b in BRANCHES
            for d in range(1, 8)
            for h in range(24)
        ],
        denials=[
            {"branch_id": b, "day": m, "reason": r, "staffed": 1, "meirope": 3, "closed": 1}
            for b in BRANCHES
            for m in months
            for r in ("wrong_pin", "under_age", "blocked_card")
        ],
        visitors=[{"branch_id": b, "month": m, "visitors": 300} for b in BRANCHES for m in months],
        incidents=[
            {
                "branch_id": b,
                "day": m,
                "held_open": 2,
                "forced": 0,
                "tailgating": 1,
                "closings_with_occupants": 1,
                "occupants_at_closing": 2,
            }
            for b in BRANCHES
            for m in months
        ],
        shifts=[
            {
                "branch_id": b,
                "week": w,
                "shifts_published": 6,
                "shifts_cancelled": 0,
                "shifts_filled": 5,
                "places_offered": 6,
                "places_taken": 5,
                "places_released": 1,
                "waitlist_joins": 1,
                "no_shows": 0,
            }
            for b in BRANCHES
            for w in mondays
        ],
        hours=[
            {"branch_id": b, "month": m, "minutes": 3000, "shifts_served": 25, "volunteers": 8}
            for b in BRANCHES
            for m in months
        ],
        active_volunteers=120,
        host_coverage=[
            {
                "branch_id": b,
                "week": w,
                "meirope_minutes": 2400,
                "hosted_minutes": 1500,
                "share": 0.625,
            }
            for b in BRANCHES
            for w in mondays
        ],
        coverage=[Coverage(s, g, 3, 1, 1, 1) for s in SCHOOLS for g in (2, 9)],
        reach=[Reach(s, BRANCHES[n % 10], 4, 80, 30) for n, s in enumerate(SCHOOLS)],
        deposits=[
            DepositCounts(
                s, {"requested": 1, "prepared": 1, "delivered": 1, "returned": 3, "cancelled": 0}, 0
            )
            for s in SCHOOLS
        ],
        theme_days=[
            ThemeDayRow(
                uuid4(),
                f"{year - 1}-{year}",
                date(year, 1 + n % 6, 1 + n),
                "Lesefest",
                BRANCHES[n % 10],
                None,
                "held",
                dict.fromkeys(SCHOOLS[n : n + 3], 25),
            )
            for n in range(20)
        ],
    )


def yearly_report(scale: float) -> list[Result]:
    """Assembly and PDF drawing of a full year, several times: the median and the slowest."""
    figures = a_year_of_figures()
    rounds = max(3, int(15 * scale))
    seconds: list[float] = []
    size = 0
    for _ in range(rounds):
        started = time.perf_counter()
        size = len(render(assemble(figures, Locale.NN)))
        seconds.append(time.perf_counter() - started)
    return [
        {
            "name": "yearly report PDF: render a year of ten branches (CPU only)",
            "p50_ms": percentile(seconds, 0.5) * 1000,
            "max_ms": max(seconds) * 1000,
            "rounds": rounds,
            "pdf_kb": size / 1024,
        }
    ]
