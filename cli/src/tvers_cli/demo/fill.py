"""Fills a running system with the demo data, through the services' public HTTP APIs only."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tvers_cli.demo.data import UNACCOMPANIED_MIN_AGE, ZONE, DemoData, Presentation, build
from tvers_cli.system import RunningSystem
from tvers_runtime.auth import Role, Tokens

T = TypeVar("T")
CONCURRENCY = 16
#: How long the fill waits for volunteers and visits to learn the branches from access.
BRANCHES_TIMEOUT = 60.0


class FillFailed(Exception):
    """A service refused a demo request."""


class Filler:
    """Sends the demo requests, with an idempotency key each."""

    def __init__(self, system: RunningSystem, http: httpx.AsyncClient, tenant: str) -> None:
        tokens = Tokens(system.data.signing_key())
        self._system = system
        self._http = http
        self._tokens = tokens
        self._tenant = tenant
        self.staff = tokens.issue(Role.STAFF, tenant=tenant, subject="demo-staff")
        self._doors: dict[str, str] = {}

    async def send(
        self, method: str, service: str, path: str, token: str, key: str, body: Any = None
    ) -> dict[str, Any]:
        """One request; anything but 2xx stops the fill with what the service said."""
        response = await self._http.request(
            method,
            f"{self._system.url(service)}{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        )
        if response.is_error:
            raise FillFailed(f"{method} {service}{path}: {response.status_code} {response.text}")
        result: dict[str, Any] = response.json()
        return result

    def door(self, door_id: str) -> str:
        """The token of one door's panel, which may present cards at that door only."""
        if door_id not in self._doors:
            self._doors[door_id] = self._tokens.issue(
                Role.DOOR, tenant=self._tenant, subject=f"door:{door_id}", door_id=door_id
            )
        return self._doors[door_id]

    async def arrive(self, arrival: tuple[Presentation, ...]) -> None:
        """Cards shown at a door one after the other (a guardian's, then the child's)."""
        for p in arrival:
            await self.send(
                "POST",
                "access",
                f"/doors/{p.door_id}/presentations",
                self.door(p.door_id),
                p.key,
                {
                    "card_number": p.card_number,
                    "pin": p.pin,
                    "presented_at": p.presented_at.isoformat(),
                },
            )

    async def get(self, service: str, path: str) -> list[dict[str, Any]]:
        """A staff read; anything but 2xx stops the fill."""
        response = await self._http.get(
            f"{self._system.url(service)}{path}",
            headers={"Authorization": f"Bearer {self.staff}"},
        )
        if response.is_error:
            raise FillFailed(f"GET {service}{path}: {response.status_code} {response.text}")
        result: list[dict[str, Any]] = response.json()
        return result

    def volunteer(self, volunteer_id: Any) -> str:
        """A token for one demo volunteer."""
        return self._tokens.issue(
            Role.VOLUNTEER,
            tenant=self._tenant,
            subject=f"volunteer:{volunteer_id}",
            volunteer_id=volunteer_id,
        )


async def _each(
    progress: Progress,
    label: str,
    items: Sequence[T],
    send: Callable[[T], Awaitable[Any]],
    *,
    concurrency: int = CONCURRENCY,
) -> None:
    task = progress.add_task(label, total=len(items))
    limit = asyncio.Semaphore(concurrency)

    async def one(item: T) -> None:
        async with limit:
            await send(item)
        progress.advance(task)

    await asyncio.gather(*(one(item) for item in items))


async def _branches_known(
    progress: Progress, demo: Filler, services: Sequence[str], branch_ids: set[str]
) -> None:
    """Wait until the services that refer to branches have learned them from access.

    They learn them from its events (relayed to NATS, then taken by their subscribers): a moment
    after access registered them, not at once.
    """
    task = progress.add_task("branches known elsewhere", total=len(services))
    deadline = asyncio.get_running_loop().time() + BRANCHES_TIMEOUT
    for service in services:
        while True:
            listed = await demo.get(service, "/branches")
            if branch_ids <= {branch["branch_id"] for branch in listed}:
                break
            if asyncio.get_running_loop().time() > deadline:
                missing = sorted(branch_ids - {branch["branch_id"] for branch in listed})
                raise FillFailed(f"{service} has not learned the branches {missing} from access")
            await asyncio.sleep(0.2)
        progress.advance(task)


async def fill(system: RunningSystem, console: Console, *, tenant: str = "1508") -> str:
    """Send the whole demo data set; return a viewer token for the dashboard."""
    now = datetime.now(UTC)
    data: DemoData = build(now.astimezone(ZONE).date(), now)
    async with httpx.AsyncClient(timeout=30.0) as http:
        demo = Filler(system, http, tenant)
        columns = (
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            await _each(
                progress,
                "branches",
                data.branches,
                lambda b: demo.send(
                    "POST",
                    "access",
                    "/branches",
                    demo.staff,
                    f"demo-branch-{b.branch_id}",
                    {
                        "branch_id": b.branch_id,
                        "name": b.name,
                        "meirope_min_age": b.meirope_min_age,
                    },
                ),
            )
            await _each(
                progress,
                "weekly schedules",
                data.branches,
                lambda b: demo.send(
                    "PUT",
                    "access",
                    f"/branches/{b.branch_id}/schedule",
                    demo.staff,
                    f"demo-schedule-{b.branch_id}-v1",
                    {"periods": [p.__dict__ for p in b.periods]},
                ),
            )
            await _each(
                progress,
                "doors",
                data.branches,
                lambda b: demo.send(
                    "POST",
                    "access",
                    "/doors",
                    demo.staff,
                    f"demo-door-{b.door_id}",
                    {"door_id": b.door_id, "branch_id": b.branch_id, "name": f"{b.name}, hovuddør"},
                ),
            )
            await _each(
                progress,
                "access rules",
                data.branches,
                lambda b: demo.send(
                    "PUT",
                    "access",
                    f"/branches/{b.branch_id}/access-rules",
                    demo.staff,
                    f"demo-access-rules-{b.branch_id}",
                    {
                        "meirope_min_age": b.meirope_min_age,
                        "unaccompanied_min_age": min(UNACCOMPANIED_MIN_AGE, b.meirope_min_age),
                    },
                ),
            )
            for who, agreements in (
                ("adults", [a for a in data.signed if a.guardian_card_number is None]),
                ("children", [a for a in data.signed if a.guardian_card_number is not None]),
            ):  # guardians sign before their children
                await _each(
                    progress,
                    f"meirope agreements ({who})",
                    agreements,
                    lambda a: demo.send(
                        "POST",
                        "access",
                        "/agreements",
                        demo.staff,
                        f"demo-agreement-{a.card_number}",
                        {
                            "card_number": a.card_number,
                            "guardian_consent": a.guardian_card_number is not None,
                            "guardian_card_number": a.guardian_card_number,
                        },
                    ),
                )
            await _each(
                progress,
                "agreements suspended",
                data.suspended,
                lambda card: demo.send(
                    "POST",
                    "access",
                    "/agreements/suspend",
                    demo.staff,
                    f"demo-suspension-{card}",
                    {"card_number": card, "reason": "let_others_in"},
                ),
            )
            await _each(progress, "door presentations", data.presentations, demo.arrive)
            await _branches_known(
                progress, demo, ("volunteers", "visits"), {b.branch_id for b in data.branches}
            )
            await _each(
                progress,
                "schools",
                data.schools,
                lambda s: demo.send(
                    "POST",
                    "visits",
                    "/schools",
                    demo.staff,
                    f"demo-school-{s.school_id}",
                    {
                        "school_id": s.school_id,
                        "name": s.name,
                        "school_type": s.school_type,
                        "nearest_branch_id": s.nearest_branch_id,
                    },
                ),
                concurrency=1,  # one register: in parallel they would only retry each other
            )
            shift_ids: dict[str, str] = {}

            async def publish(plan: Any) -> None:
                shift = await demo.send(
                    "POST",
                    "volunteers",
                    "/shifts",
                    demo.staff,
                    plan.key,
                    {
                        "branch_id": plan.branch_id,
                        "starts_at": plan.starts_at.isoformat(),
                        "ends_at": plan.ends_at.isoformat(),
                        "capacity": plan.capacity,
                    },
                )
                shift_ids[plan.key] = shift["shift_id"]

            await _each(progress, "volunteer shifts", data.shifts, publish)
            claims = [(plan, v) for plan in data.shifts for v in plan.volunteers]
            await _each(
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
            await _each(
                progress,
                "class visits held",
                data.visits,
                lambda v: demo.send(
                    "POST",
                    "visits",
                    "/class-visits/held",
                    demo.staff,
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
                ),
            )
        return Tokens(system.data.signing_key()).issue(
            Role.VIEWER, tenant=tenant, subject="demo-viewer"
        )
