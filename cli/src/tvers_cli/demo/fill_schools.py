"""The school strand (:mod:`.school_strand`) sent to the visits service: its past to the service
running in this process on a simulated clock beside the running process (decision 0036), each
call at its moment; then what is done now to the running service.

The past is made once per data folder, up to the day of the volunteers' history (the same
record, :mod:`.until`): a later fill finds it complete through the running service (the held
visits, the deposits' statuses and the theme day held are there) and sends only what is done
now, again, which the service takes as repeats."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from rich.progress import Progress

from tvers_cli.demo.client import Filler, FillFailed, each
from tvers_cli.demo.places import BRANCHES
from tvers_cli.demo.plans import Call
from tvers_cli.demo.school_strand import SchoolStrand
from tvers_cli.demo.simulated import VISITS, VISITS_BASE_URL, SimulatedService, simulated_visits
from tvers_cli.system import RunningSystem
from tvers_runtime.auth import Role

#: How long the fill waits at most for the visits service to learn the branches' hours.
HOURS_TIMEOUT = 60.0
#: A visit booked now starts at least this long after the moment the fill runs up to.
BOOKING_MARGIN = timedelta(minutes=15)


class Calls:
    """Sends calls to the visits service, and keeps the ids of what they made."""

    def __init__(self, demo: Filler) -> None:
        self._demo = demo
        self._ids: dict[str, str] = {}

    async def send(self, call: Call) -> None:
        """One call, as its caller."""
        path = call.path if call.of is None else call.path.format(id=self._ids[call.of])
        if call.caller.role is Role.STAFF:
            token = self._demo.staff
        else:
            assert call.caller.school_id is not None
            token = self._demo.school(call.caller.role, call.caller.school_id)
        answer = await self._demo.send(call.method, VISITS, path, token, call.key, call.body)
        if call.makes is not None and call.id_field is not None:
            self._ids[call.makes] = str(answer[call.id_field])


async def hours_known(progress: Progress, demo: Filler, strand: SchoolStrand) -> None:
    """Wait until the visits service has learned each branch's staffed hours from access (its
    schedule events, through NATS): class visits are booked in those hours only."""
    task = progress.add_task("staffed hours known", total=len(BRANCHES))
    deadline = asyncio.get_running_loop().time() + HOURS_TIMEOUT
    span = {"from": strand.day.isoformat(), "to": (strand.day + timedelta(days=13)).isoformat()}
    for branch in BRANCHES:
        while not await demo.get(VISITS, f"/branches/{branch.branch_id}/staffed-hours", span):
            if asyncio.get_running_loop().time() > deadline:
                raise FillFailed(f"visits has not learned the hours of {branch.branch_id}")
            await asyncio.sleep(0.2)
        progress.advance(task)


async def make_school_history(
    progress: Progress, system: RunningSystem, demo: Filler, strand: SchoolStrand
) -> None:
    """Send the strand's past to the visits service on a simulated clock, unless a fill made
    it before."""
    total = sum(len(chain) for chains in strand.history for chain in chains)
    task = progress.add_task("the school year so far", total=total)
    if await _made_before(demo, strand):
        progress.update(task, description="the school year so far (kept)", completed=total)
        return
    async with simulated_visits(system, strand.since) as service:
        calls = Calls(Filler(system, service.http, demo.tenant, urls={VISITS: VISITS_BASE_URL}))

        async def send(chain: Sequence[Call]) -> None:
            for call in chain:
                assert call.at is not None
                with service.clock.at(call.at):
                    await calls.send(call)
                progress.advance(task)

        for chains in strand.history:
            await asyncio.gather(*(send(chain) for chain in chains))
            _moved_on(service, chains)


def _moved_on(service: SimulatedService, chains: Sequence[Sequence[Call]]) -> None:
    reached = [call.at for chain in chains for call in chain if call.at is not None]
    if reached:
        service.clock.move_to(max(reached))


async def _made_before(demo: Filler, strand: SchoolStrand) -> bool:
    """Whether the service holds the past already: the visits held, the deposits' statuses
    and the theme day held."""
    visits = await demo.get(VISITS, f"/school-years/{strand.year.label}/class-visits")
    deposits = await demo.get(VISITS, "/deposits")
    theme_days = await demo.get(VISITS, "/theme-days", {"when": "past"})
    return (
        sum(v["status"] == "held" for v in visits) == strand.held
        and Counter(d["status"] for d in deposits) == strand.deposit_statuses
        and any(d["stage"] == "held" for d in theme_days)
    )


async def school_year_now(
    progress: Progress, demo: Filler, strand: SchoolStrand, until: datetime
) -> None:
    """What is done now, on the running service: the visits booked ahead (those still to
    begin), the theme day to come, the network and the resource bank."""
    calls = Calls(demo)
    ahead = [
        call
        for call in strand.bookings_ahead
        if datetime.fromisoformat(call.body["starts_at"]) > until + BOOKING_MARGIN
    ]
    # The school year's visits are one stream, as are the network and the theme days: one at
    # a time there (at once they would only retry each other).
    await each(progress, "class visits booked ahead", ahead, calls.send, concurrency=1)
    await each(progress, "theme day to come", [strand.theme_day], calls.send)
    await each(progress, "school librarians' network", strand.network, calls.send, concurrency=1)
    await each(progress, "resource bank", strand.pages, calls.send)
    await each(progress, "resource bank, edited", strand.page_edits, calls.send)
