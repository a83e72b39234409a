"""``tvers demo --live``: after the fill, events go on arriving until Ctrl-C, so the dashboard
moves while someone watches (decision 0041). Through the services' public HTTP APIs, with the
fill's own requests (:mod:`.client`, :mod:`.arrivals`, :mod:`.fill_coming`,
:mod:`.school_visits`), sent now and stamped by the services' clocks:

- **at the doors**, every second or two, as many as the compressed day's hour brings
  (:mod:`.live_pace`): patrons at the doors of the branches open now (granted, some refused),
  now and then at a closed one (refused);
- **volunteers**, one shift after the other: staff publish a short helper shift starting in two
  minutes, two volunteers free then claim it and check in, and check out a simulated two hours
  later;
- **class visits**, now and then: a class not yet visited is recorded as visited today;
- **the desks**, now and then: help recorded at one of the innbyggartorg sites, as the desk
  log's year has it (:mod:`.desk_log`), at the time it is sent.

A request a service refuses (a volunteer busy elsewhere, a class visited meanwhile) is
reported and skipped: the demo goes on."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from rich.console import Console

from tvers_cli.demo.arrivals import arrival_at
from tvers_cli.demo.client import Filler, FillFailed
from tvers_cli.demo.desk_log import SITES, record_now
from tvers_cli.demo.fill import DemoSummary
from tvers_cli.demo.fill_coming import as_volunteer
from tvers_cli.demo.history import candidates
from tvers_cli.demo.hosting import HELPER_BRANCH, Slot
from tvers_cli.demo.live_pace import SPEED, LivePace, door_for
from tvers_cli.demo.places import BRANCHES, ZONE
from tvers_cli.demo.school_visits import PROGRAMME_OF_GRADE, held_counts
from tvers_cli.system import RunningSystem

SERVICE, VISITS = "volunteers", "visits"
#: Wall-clock seconds between live steps of the doors, and how often the demo reports.
TICK = 1.0
REPORT_EVERY = 30.0
#: A live shift: how soon it starts, how long it lasts (the shortest the service takes, so
#: that its volunteers are free again soon), how many it takes.
SHIFT_AHEAD, SHIFT_LENGTH, SHIFT_PLACES = timedelta(minutes=2), timedelta(minutes=15), 2
#: A live shift's volunteers stay two simulated hours; then a pause before the next shift.
ON_SHIFT = 2 * 3600 / SPEED
BETWEEN_SHIFTS = 45.0
#: Wall-clock seconds between two class visits recorded, and two desk records.
VISIT_EVERY = 45.0
DESK_EVERY = 20.0


@dataclass
class Sent:
    """What the live demo has sent so far, by kind."""

    counts: dict[str, int] = field(default_factory=dict)
    refused: int = 0

    def add(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def line(self) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in self.counts.items()) or "nothing yet"
        return f"{kinds}; {self.refused} requests refused"


async def go_live(
    system: RunningSystem, console: Console, summary: DemoSummary, *, tenant: str = "1508"
) -> None:
    """Send live events until cancelled (Ctrl-C)."""
    run = uuid.uuid4().hex[:8]  # a run's keys are its own: a new run sends new events
    pace = LivePace(datetime.now(ZONE))
    sent = Sent()
    console.print(
        f"tvers: live (direkte): a day in {24 * 3600 / SPEED / 60:.0f} minutes at the doors, "
        "volunteers and class visits; stop with Ctrl-C."
    )
    async with httpx.AsyncClient(timeout=30.0) as http:
        live = _Live(Filler(system, http, tenant), summary, console, sent, run)
        async with asyncio.TaskGroup() as group:
            group.create_task(live.doors(pace))
            group.create_task(live.volunteers())
            group.create_task(live.visits())
            group.create_task(live.desks())
            group.create_task(_report(console, pace, sent))


async def _report(console: Console, pace: LivePace, sent: Sent) -> None:
    started = asyncio.get_running_loop().time()
    while True:
        await asyncio.sleep(REPORT_EVERY)
        moment = pace.simulated(asyncio.get_running_loop().time() - started)
        console.print(f"tvers live: {moment:%H:%M} simulated; sent {sent.line()}")


class _Live:
    """The three strands of live events, each a loop of its own."""

    def __init__(
        self, demo: Filler, summary: DemoSummary, console: Console, sent: Sent, run: str
    ) -> None:
        self._demo = demo
        self._summary = summary
        self._console = console
        self._sent = sent
        self._run = run
        self._rng = random.Random()  # noqa: S311 - demo data, not secrets
        #: When each volunteer's last live shift ends: they hold no other before then.
        self._busy_until: dict[str, datetime] = {}

    async def _try(self, kind: str, request: Awaitable[object]) -> bool:
        """Send one request; a refusal is reported and skipped."""
        try:
            await request
        except (FillFailed, httpx.HTTPError) as error:
            self._sent.refused += 1
            self._console.print(f"[dim]tvers live: {kind} not sent: {error}[/dim]")
            return False
        self._sent.add(kind)
        return True

    async def doors(self, pace: LivePace) -> None:
        """Patrons at the doors, as many each second as the simulated hour brings."""
        loop = asyncio.get_running_loop()
        started, n = loop.time(), 0
        while True:
            for _ in range(pace.arrivals_in_second(loop.time() - started, self._rng)):
                now = datetime.now(UTC)
                branch = door_for(BRANCHES, now, self._rng)
                key = f"demo-live-{self._run}-arrival-{n}"
                arrival = arrival_at(self._summary.people, branch, now, key, n, self._rng)
                n += 1
                await self._try("at the doors", self._demo.arrive(arrival))
            await asyncio.sleep(TICK)

    async def volunteers(self) -> None:
        """One helper shift after the other: published, claimed, checked in and out."""
        n = 0
        while True:
            await self._shift(n)
            n += 1
            await asyncio.sleep(BETWEEN_SHIFTS)

    async def _shift(self, n: int) -> None:
        starts = (datetime.now(ZONE) + SHIFT_AHEAD).replace(second=0, microsecond=0)
        slot = Slot(
            f"live-{self._run}-{n}",
            HELPER_BRANCH,
            starts,
            starts + SHIFT_LENGTH,
            SHIFT_PLACES,
            "helper",
        )
        who = [
            self._summary.volunteers[p.number]
            for p in candidates(slot, self._summary.story.volunteers, datetime.now(ZONE))
            if p.number in self._summary.volunteers
        ]
        free = [v for v in who if self._busy_until.get(v, starts) <= starts]
        if not free:
            return
        chosen = self._rng.sample(free, min(SHIFT_PLACES, len(free)))
        shift: dict[str, object] = {}

        async def publish() -> None:
            key = f"demo-shift-{slot.key}"
            body = slot.body()
            shift.update(await self._demo.staff_at("POST", "/shifts", key, body, service=SERVICE))

        if not await self._try("shifts published", publish()):
            return
        path = f"/shifts/{shift['shift_id']}"
        present = []
        for volunteer in chosen:
            self._busy_until[volunteer] = slot.ends_at
            claim = as_volunteer(self._demo, volunteer, f"{path}/claims", slot, {"or_wait": True})
            if await self._try("claims", claim):
                check_in = as_volunteer(self._demo, volunteer, f"{path}/check-in", slot, None)
                if await self._try("check-ins", check_in):
                    present.append(volunteer)
            await asyncio.sleep(2 * TICK)
        await asyncio.sleep(ON_SHIFT)
        for volunteer in present:
            check_out = as_volunteer(self._demo, volunteer, f"{path}/check-out", slot, None)
            await self._try("check-outs", check_out)

    async def visits(self) -> None:
        """Now and then a class not yet visited is recorded as visited today."""
        waiting = [p for p in self._summary.schools.classes if p.fate in ("missed", "not_booked")]
        self._rng.shuffle(waiting)
        for plan in waiting:
            school_class = plan.school_class
            body = {
                "school_id": plan.school.school_id,
                "grade": school_class.grade,
                "class_label": school_class.label,
                "branch_id": plan.slot.branch_id,
                "held_on": datetime.now(ZONE).date().isoformat(),
                "programme": PROGRAMME_OF_GRADE[school_class.grade].value,
                **held_counts(self._rng, school_class),
            }
            key = f"demo-live-{self._run}-visit-{plan.school.school_id}-{school_class.label}"
            record = self._demo.staff_at("POST", "/class-visits/held", key, body, service=VISITS)
            await self._try("class visits", record)
            await asyncio.sleep(VISIT_EVERY)

    async def desks(self) -> None:
        """Now and then help recorded at a desk, at the time it is sent."""
        n = 0
        while True:
            site = self._rng.choices(SITES, weights=[s.per_day for s in SITES])[0]
            record = record_now(site, f"demo-live-{self._run}-desk-{n}", self._rng)
            n += 1
            token = self._demo.desk(record.site)
            post = self._demo.send("POST", "desk", "/help", token, record.key, record.body())
            await self._try("desk records", post)
            await asyncio.sleep(DESK_EVERY)
