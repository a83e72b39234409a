"""Fills a running system with the demo data, through the services' public HTTP APIs (the
volunteers' history, the school year so far and the desk log's year through the volunteers,
visits and desk services themselves on simulated clocks, decisions 0029, 0036 and 0045)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tvers_cli.demo import fill_access, fill_desk, history, school_strand
from tvers_cli.demo.arrivals import People
from tvers_cli.demo.client import Filler, FillFailed, branches_known
from tvers_cli.demo.data import DemoData, build
from tvers_cli.demo.data import people as people_of
from tvers_cli.demo.fill_coming import coming_shifts, proposals_made
from tvers_cli.demo.fill_history import make_history
from tvers_cli.demo.fill_schools import hours_known, make_school_history, school_year_now
from tvers_cli.demo.until import fill_until, history_record
from tvers_cli.system import RunningSystem

__all__ = ["DemoSummary", "FillFailed", "fill"]


@dataclass(frozen=True)
class DemoSummary:
    """What the demo prints when it has filled the system, and what ``--live`` goes on from."""

    #: A demo volunteer's personal sign-in link to the volunteers' page (single use, 72 hours).
    sign_in_link: str
    #: The demo's patrons as the doors see them.
    people: People
    #: The volunteers' history and the demo volunteers' ids at the service, by number.
    story: history.History
    volunteers: dict[int, str]
    #: The school strand, with the classes not yet visited.
    schools: school_strand.SchoolStrand


async def fill(system: RunningSystem, console: Console, *, tenant: str = "1508") -> DemoSummary:
    """Send the whole demo data set; a volunteer's sign-in link and the volunteers' ids."""
    until = fill_until(system.data, datetime.now(UTC))
    data: DemoData = build(until)
    history_day = history_record(system.data, data.today).day
    story = history.make(history_day)
    schools = school_strand.make(history_day)
    async with httpx.AsyncClient(timeout=30.0) as http:
        demo = Filler(system, http, tenant)
        columns = (
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            await fill_access.set_up(progress, system, demo, data)
            await branches_known(
                progress, demo, ("volunteers", "visits"), {b.branch_id for b in data.branches}
            )
            await hours_known(progress, demo, schools)
            # Apart: the doors' school year goes to access; the volunteers' weeks (its running
            # process stopped for the while) and then the school year so far to those services
            # in this process, on simulated clocks.
            volunteers, _ = await asyncio.gather(
                _simulated_past(progress, system, demo, story, schools, data),
                fill_access.door_traffic(progress, demo, data, system.supervisor),
            )
            await coming_shifts(progress, demo, story, volunteers, data.today)
            await school_year_now(progress, demo, schools, until)
        # The page's volunteer: a vgs student with a certificate, when there is one. A new
        # link each time (it replaces the unused one): nothing to repeat under a key.
        shown = volunteers[(story.certificates or [0])[0]]
        path = f"/volunteers/{shown}/sign-in-link"
        link = await demo.staff_at("POST", path, None, service="volunteers")
    return DemoSummary(link["url"], people_of(data), story, volunteers, schools)


async def _simulated_past(
    progress: Progress,
    system: RunningSystem,
    demo: Filler,
    story: history.History,
    schools: school_strand.SchoolStrand,
    data: DemoData,
) -> dict[int, str]:
    # The service's proposals first: its process stops for the history (and proposes again
    # when it starts, while the coming shifts are put in place). One service at a time in this
    # process: each sends its logging to its own log file meanwhile.
    await proposals_made(progress, demo, data.today)
    volunteers = await make_history(progress, system, demo, story)
    await make_school_history(progress, system, demo, schools)
    await fill_desk.desk_year(progress, system, demo, schools.day)
    return volunteers
