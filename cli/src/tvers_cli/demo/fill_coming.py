"""The coming two weeks of volunteer shifts, sent to the running volunteers service (its own
clock, now): on each of the demo's evenings staff confirm the shift the service proposed there
(decision 0025), or publish it themselves where it proposed none; volunteers of the branch
claim it, those who come when it is full wait (``or_wait``), and now and then the first gives
the place up again, which passes it to the first waiting.

Every request is a function of the shift's branch and day (and the demo's volunteers), whatever
day the demo runs, so a later fill sends the same requests for the days both cover."""

from __future__ import annotations

import asyncio
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from rich.progress import Progress

from tvers_cli.demo.client import Filler, each
from tvers_cli.demo.history import History, candidates
from tvers_cli.demo.hosting import Slot, slots_between
from tvers_cli.demo.places import ZONE

COMING_DAYS = 14
SERVICE = "volunteers"
#: The stages of a shift that lies where a slot is (withdrawn and cancelled ones do not).
LYING = ("proposed", "published")
#: How long the fill waits at most for the service's proposals of the coming weeks.
PROPOSALS_TIMEOUT = 60.0


def claimers(slot: Slot, history: History) -> tuple[list[int], int | None]:
    """Who claims a coming shift, in order, and who of them gives the place up (the first
    claimer, who holds one whatever the capacity), if anyone does."""
    rng = random.Random(f"demo-coming-{slot.key}")  # noqa: S311 - demo data, not secrets
    ready = datetime.combine(history.until_day, time(), ZONE)
    found = candidates(slot, history.volunteers, ready)
    wanted = rng.choices((0, 1, 2, 3, 4), weights=(10, 25, 40, 17, 8))[0] + slot.capacity - 2
    order = [p.number for p in rng.sample(found, min(wanted, len(found)))]
    full = len(order) > slot.capacity
    leaves = bool(order) and rng.random() < (0.5 if full else 0.08)
    return order, order[0] if leaves else None


def lying_at(slot: Slot, listed: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The shift of the slot's role that already lies at its time (one staff published or
    confirmed before, else the service's proposal), if one does."""
    lying = [
        shift
        for shift in listed
        if shift["role"] == slot.role
        and shift["stage"] in LYING
        and slot.overlaps(
            datetime.fromisoformat(shift["starts_at"]), datetime.fromisoformat(shift["ends_at"])
        )
    ]
    return min(lying, key=lambda s: (s["stage"] != "published", s["starts_at"]), default=None)


def coming_slots(today: date) -> list[Slot]:
    """The demo's shifts of the coming weeks."""
    return slots_between(today + timedelta(days=1), today + timedelta(days=COMING_DAYS))


async def listed_shifts(demo: Filler, today: date) -> dict[str, list[dict[str, Any]]]:
    """The shifts of the coming weeks the service holds, by branch."""
    after = datetime.combine(today + timedelta(days=1), time(), ZONE)
    before = after + timedelta(days=COMING_DAYS)
    listed: dict[str, list[dict[str, Any]]] = {}
    for branch_id in sorted({slot.branch_id for slot in coming_slots(today)}):
        window = {"from": after.isoformat(), "to": before.isoformat(), "branch_id": branch_id}
        listed[branch_id] = await demo.get(SERVICE, "/shifts", window)
    return listed


async def proposals_made(
    progress: Progress, demo: Filler, today: date, label: str = "coming shifts proposed"
) -> dict[str, list[dict[str, Any]]]:
    """Wait (a while at most) until the service has proposed, or staff have published, a
    hosting shift on each of the demo's coming evenings; the shifts listed then, by branch.

    The service proposes by itself as it learns the branches' schedules and when its process
    starts (decision 0025); staff confirm its proposals, and publish where it proposed none.
    Publishing while it is still proposing could put two shifts on one evening."""
    hosting = [slot for slot in coming_slots(today) if slot.role == "host"]
    task = progress.add_task(label, total=len(hosting))
    deadline = asyncio.get_running_loop().time() + PROPOSALS_TIMEOUT
    while True:
        listed = await listed_shifts(demo, today)
        found = sum(lying_at(slot, listed[slot.branch_id]) is not None for slot in hosting)
        progress.update(task, completed=found)
        if found == len(hosting) or asyncio.get_running_loop().time() > deadline:
            return listed
        await asyncio.sleep(0.5)


async def coming_shifts(
    progress: Progress, demo: Filler, history: History, volunteers: dict[int, str], today: date
) -> None:
    """Put the coming shifts in place and claim them."""
    slots = coming_slots(today)
    listed = await proposals_made(progress, demo, today, "coming shifts proposed again")
    shifts: dict[str, dict[str, Any]] = {}

    async def put_in_place(slot: Slot) -> None:
        found = lying_at(slot, listed[slot.branch_id])
        if found is None:
            key, path, body = f"demo-shift-{slot.key}", "/shifts", slot.body()
        elif found["stage"] == "proposed":
            key, path, body = (
                f"demo-confirm-{slot.key}",
                f"/shifts/{found['shift_id']}/confirm",
                None,
            )
        else:
            shifts[slot.key] = found
            return
        shifts[slot.key] = await demo.staff_at("POST", path, key, body, service=SERVICE)

    async def claim(slot: Slot) -> None:
        shift = shifts[slot.key]
        order, leaver = claimers(slot, history)
        for number in order:  # the first come take the places; those after them wait
            path = f"/shifts/{shift['shift_id']}/claims"
            await as_volunteer(demo, volunteers[number], path, slot, {"or_wait": True})
        if leaver is not None:
            await as_volunteer(
                demo, volunteers[leaver], f"/shifts/{shift['shift_id']}/release", slot, None
            )

    await each(progress, "coming shifts", slots, put_in_place)
    await each(progress, "coming shifts claimed", slots, claim)


async def as_volunteer(demo: Filler, volunteer_id: str, path: str, slot: Slot, body: Any) -> None:
    """A volunteer's own request on the slot's shift (claim, release, check in or out), under a
    key of the action and the slot."""
    action = path.rsplit("/", 1)[-1]
    key = f"demo-{action}-{slot.key}"
    await demo.send("POST", SERVICE, path, demo.volunteer(volunteer_id), key, body)
