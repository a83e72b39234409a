"""Fills a running system with the demo data, through the services' public HTTP APIs (the
volunteers' history through the volunteers service itself on a simulated clock, decision 0029)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tvers_cli.demo import fill_access, history
from tvers_cli.demo.client import Filler, FillFailed, branches_known, each
from tvers_cli.demo.data import DemoData, build
from tvers_cli.demo.fill_coming import coming_shifts, proposals_made
from tvers_cli.demo.fill_history import make_history
from tvers_cli.demo.places import school_year_start
from tvers_cli.demo.until import fill_until, history_record
from tvers_cli.system import RunningSystem
from tvers_runtime.auth import Role, Tokens

__all__ = ["DemoSummary", "FillFailed", "fill"]


@dataclass(frozen=True)
class DemoSummary:
    """What the demo prints when it has filled the system."""

    viewer_token: str
    #: A demo volunteer's personal sign-in link to the volunteers' page (single use, 72 hours).
    sign_in_link: str


async def fill(system: RunningSystem, console: Console, *, tenant: str = "1508") -> DemoSummary:
    """Send the whole demo data set; a viewer token for the dashboard and a volunteer's link."""
    until = fill_until(system.data, datetime.now(UTC))
    data: DemoData = build(until)
    story = history.make(history_record(system.data, data.today).day)
    async with httpx.AsyncClient(timeout=30.0) as http:
        demo = Filler(system, http, tenant)
        columns = (
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            await fill_access.set_up(progress, demo, data)
            await branches_known(
                progress, demo, ("volunteers", "visits"), {b.branch_id for b in data.branches}
            )
            # Apart: the doors' school year goes to access, the volunteers' weeks to the
            # volunteers service (its running process stopped for the while).
            volunteers, _ = await asyncio.gather(
                _volunteers_history(progress, system, demo, story, data),
                fill_access.door_traffic(progress, demo, data, system.supervisor),
            )
            await coming_shifts(progress, demo, story, volunteers, data.today)
            await _visits(progress, demo, data)
        # The page's volunteer: a vgs student with a certificate, when there is one. A new
        # link each time (it replaces the unused one): nothing to repeat under a key.
        shown = volunteers[(story.certificates or [0])[0]]
        path = f"/volunteers/{shown}/sign-in-link"
        link = await demo.staff_at("POST", path, None, service="volunteers")
    viewer = Tokens(system.data.signing_key()).issue(
        Role.VIEWER, tenant=tenant, subject="demo-viewer"
    )
    return DemoSummary(viewer, link["url"])


async def _volunteers_history(
    progress: Progress, system: RunningSystem, demo: Filler, story: history.History, data: DemoData
) -> dict[int, str]:
    # The service's proposals first: its process stops for the history (and proposes again
    # when it starts, while the coming shifts are put in place).
    await proposals_made(progress, demo, data.today)
    return await make_history(progress, system, demo, story)


async def _visits(progress: Progress, demo: Filler, data: DemoData) -> None:
    await each(
        progress,
        "schools",
        data.schools,
        lambda s: demo.staff_at(
            "POST",
            "/schools",
            f"demo-school-{s.school_id}",
            {
                "school_id": s.school_id,
                "name": s.name,
                "school_type": s.school_type,
                "nearest_branch_id": s.nearest_branch_id,
            },
            service="visits",
        ),
        concurrency=1,  # one register: in parallel they would only retry each other
    )
    first = school_year_start(data.today, day=20).year
    await each(
        progress,
        "classes",
        data.schools,
        lambda s: demo.staff_at(
            "PUT",
            f"/school-years/{first}-{first + 1}/schools/{s.school_id}/classes",
            f"demo-classes-{s.school_id}-{first}",
            {
                "classes": [
                    {"grade": grade, "class_label": f"{grade}{letter}", "pupils": 28}
                    for grade in s.grades
                    for letter in "AB"
                ]
            },
            service="visits",
        ),
        concurrency=1,  # one school year's stream
    )
    await each(
        progress,
        "class visits held",
        data.visits,
        lambda v: demo.staff_at(
            "POST",
            "/class-visits/held",
            v.key,
            {
                "school_id": v.school_id,
                "grade": v.grade,
                "class_label": v.class_label,
                "branch_id": v.branch_id,
                "held_on": v.held_on.isoformat(),
                "programme": "second_grade" if v.grade == 2 else "ninth_grade",
                "pupils_present": v.pupils,
                "library_cards_handed_out": v.cards,
                "consent_forms_collected": v.cards,
            },
            service="visits",
        ),
        concurrency=1,  # one school year's stream
    )
