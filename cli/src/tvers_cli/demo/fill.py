"""Fills a running system with the demo data, through the services' public HTTP APIs only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tvers_cli.demo import fill_access
from tvers_cli.demo.client import Filler, FillFailed, branches_known, each
from tvers_cli.demo.data import DemoData, build
from tvers_cli.demo.until import fill_until
from tvers_cli.demo.volunteers import register_volunteers
from tvers_cli.system import RunningSystem
from tvers_runtime.auth import Role, Tokens

__all__ = ["FillFailed", "fill"]


async def fill(system: RunningSystem, console: Console, *, tenant: str = "1508") -> str:
    """Send the whole demo data set; return a viewer token for the dashboard."""
    until = fill_until(system.data, datetime.now(UTC))
    data: DemoData = build(until)
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
            await fill_access.door_traffic(progress, demo, data, system.supervisor)
            await branches_known(
                progress, demo, ("volunteers", "visits"), {b.branch_id for b in data.branches}
            )
            await _volunteers_and_visits(progress, demo, data)
        return Tokens(system.data.signing_key()).issue(
            Role.VIEWER, tenant=tenant, subject="demo-viewer"
        )


async def _volunteers_and_visits(progress: Progress, demo: Filler, data: DemoData) -> None:
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
    shift_ids: dict[str, str] = {}

    async def publish(plan: Any) -> None:
        shift = await demo.staff_at(
            "POST",
            "/shifts",
            plan.key,
            {
                "branch_id": plan.branch_id,
                "starts_at": plan.starts_at.isoformat(),
                "ends_at": plan.ends_at.isoformat(),
                "capacity": plan.capacity,
            },
            service="volunteers",
        )
        shift_ids[plan.key] = shift["shift_id"]

    await each(progress, "volunteer shifts", data.shifts, publish)
    ids = await register_volunteers(progress, demo, data.volunteers, data.today.isoformat())
    claims = [(plan, ids[v]) for plan in data.shifts for v in plan.volunteers]
    await each(
        progress,
        "shifts claimed",
        claims,
        lambda c: demo.send(
            "POST",
            "volunteers",
            f"/shifts/{shift_ids[c[0].key]}/claims",
            demo.volunteer(c[1]),
            f"{c[0].key}-claim-{c[1]}",
        ),
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
                "pupils_present": v.pupils,
                "library_cards_handed_out": v.cards,
            },
            service="visits",
        ),
    )
