"""The volunteers' history of the demo (:mod:`.history`), sent step by step to the volunteers
service running in this process on a simulated clock (:mod:`.simulated`, decision 0029): before
each step the clock moves to the step's moment, and the step is the request staff or the
volunteer would have sent then, with its own idempotency key. Nothing is written around the
service: its use cases decide every step, by its rules, at the step's time.

The history is made once per data folder (:mod:`.until`): a later fill finds it complete (its
last steps, the certificates, are there) and leaves the running service alone."""

from __future__ import annotations

import asyncio
from typing import Any

from rich.progress import Progress

from tvers_cli.demo.client import Filler, FillFailed
from tvers_cli.demo.history import History, Step, rounds
from tvers_cli.demo.simulated import BASE_URL, SERVICE, SimulatedService, simulated_volunteers
from tvers_cli.demo.until import HistoryRecord, history_record, write_history_record
from tvers_cli.system import RunningSystem


async def make_history(
    progress: Progress, system: RunningSystem, demo: Filler, history: History
) -> dict[int, str]:
    """Send the history, unless a fill made it before (``demo`` asks the running service);
    the ids of the volunteers by number."""
    record = history_record(system.data, history.until_day)
    task = progress.add_task("volunteers' history", total=len(history.steps))
    if await _made_before(demo, history, record.volunteers):
        progress.update(
            task, description="volunteers' history (kept)", completed=len(history.steps)
        )
        return record.volunteers
    async with simulated_volunteers(system, history.steps[0].at) as service:
        steps = _Steps(Filler(system, service.http, demo.tenant, urls={SERVICE: BASE_URL}), service)

        async def send(chain: list[Step]) -> None:
            for step in chain:
                with service.clock.at(step.at):
                    await steps.send(step, history)
                progress.advance(task)

        for round_ in rounds(history.steps):
            await asyncio.gather(*(send(chain) for chain in round_))
            service.clock.move_to(max(chain[-1].at for chain in round_))
    write_history_record(system.data, HistoryRecord(history.until_day, steps.volunteers))
    return steps.volunteers


async def _made_before(demo: Filler, history: History, volunteers: dict[int, str]) -> bool:
    """Whether the service holds the history already: the certificates, its last steps."""
    if not volunteers:
        return False
    try:
        for number in history.certificates:
            if not await demo.get(SERVICE, f"/volunteers/{volunteers[number]}/certificates"):
                return False
    except (FillFailed, KeyError):  # the volunteer is not known there (another database)
        return False
    return True


class _Steps:
    """Sends each kind of step, and keeps the ids the service gave."""

    def __init__(self, demo: Filler, service: SimulatedService) -> None:
        self._demo = demo
        self._service = service
        self.volunteers: dict[int, str] = {}
        self._campaigns: dict[str, str] = {}
        self._shifts: dict[str, str] = {}

    async def send(self, step: Step, history: History) -> None:
        """Send one step."""
        if step.kind == "tick":
            await self._service.tick()
        elif step.kind == "campaign":
            assert step.campaign is not None
            made = await self._staff("/campaigns", step.key, step.campaign.body())
            self._campaigns[step.campaign.key] = made["campaign_id"]
        elif step.kind == "register":
            assert step.volunteer is not None
            plan = history.volunteers[step.volunteer]
            campaign = self._campaigns[history.campaigns[plan.campaign].key]
            made = await self._staff("/volunteers", step.key, plan.registration(campaign))
            self.volunteers[plan.number] = made["volunteer_id"]
        elif step.kind in ("police-certificate", "introduction"):
            field = "shown_on" if step.kind == "police-certificate" else "completed_on"
            path = f"/volunteers/{self._volunteer(step)}/{step.kind}"
            await self._staff(path, step.key, {field: step.at.date().isoformat()})
        elif step.kind == "publish":
            assert step.slot is not None
            made = await self._staff("/shifts", step.key, step.slot.body())
            self._shifts[step.slot.key] = made["shift_id"]
        elif step.kind == "certificate":
            await self._certificate(step, history)
        else:
            await self._on_shift(step)

    async def _on_shift(self, step: Step) -> None:
        """A volunteer's own step on a shift: claim (or wait), release, check in or out."""
        assert step.slot is not None
        action = {"claim": "claims"}.get(step.kind, step.kind)
        body = {"or_wait": True} if step.or_wait else None
        path = f"/shifts/{self._shifts[step.slot.key]}/{action}"
        await self._as_volunteer(step, path, body)

    async def _certificate(self, step: Step, history: History) -> None:
        """Staff issue some certificates, and the students themselves the others (one in
        English)."""
        n = history.certificates.index(self._number(step))
        body = {
            "period_from": history.first_day.isoformat(),
            "period_to": history.certified_to.isoformat(),
            "locale": "en" if n == 1 else "nn",
        }
        path = f"/volunteers/{self._volunteer(step)}/certificates"
        if n % 2 == 0:
            await self._staff(path, step.key, body)
        else:
            await self._as_volunteer(step, path, body)

    async def _staff(self, path: str, key: str, body: Any) -> dict[str, Any]:
        return await self._demo.staff_at("POST", path, key, body, service=SERVICE)

    async def _as_volunteer(self, step: Step, path: str, body: Any) -> dict[str, Any]:
        token = self._demo.volunteer(self._volunteer(step))
        return await self._demo.send("POST", SERVICE, path, token, step.key, body)

    def _number(self, step: Step) -> int:
        if step.volunteer is None:
            raise FillFailed(f"a {step.kind} step names no volunteer")
        return step.volunteer

    def _volunteer(self, step: Step) -> str:
        return self.volunteers[self._number(step)]
