"""The demo's volunteer shifts: on the evenings each branch runs its library-friends programme,
the last two hours of the evening's meirope opening with two hosts (the hosting rule the
volunteers service proposes by, decision 0025), and on Saturdays a helper shift at Ålesund
sentrum (reading aloud for children, open to any active volunteer).

A shift is a function of its branch and day alone, whatever day the demo runs: its key names
them, and a later fill finds the same shift under the same key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tvers_cli.demo.places import BRANCHES, ZONE, Branch
from tvers_contracts.values import OpeningKind

#: The weekdays (1 = Monday) each branch hosts with volunteers in its meirope evening.
PROGRAMME: dict[str, frozenset[int]] = {
    "alesund-sentrum": frozenset({1, 2, 3, 4, 5}),
    "spjelkavik": frozenset({2, 4}),
    "skodje": frozenset({1, 4}),
    "brattvag": frozenset({3}),
    "haroy": frozenset({3}),
    "sjoholt": frozenset({4}),
    "ellingsoy": frozenset({2}),
}
#: The hosted end of a meirope evening, and its places (the service's default hosting rule).
HOSTED = timedelta(hours=2)
HOSTS = 2
#: The Saturday helper shift: where, when and how many.
HELPER_BRANCH = "alesund-sentrum"
HELPER_START, HELPER_LENGTH, HELPERS = time(12, 0), timedelta(hours=2), 3


@dataclass(frozen=True)
class Slot:
    """A shift of the demo's, as staff publish it (or confirm the service's proposal of it)."""

    key: str
    branch_id: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    role: str

    def body(self) -> dict[str, Any]:
        """The shift as ``POST /shifts`` takes it."""
        return {
            "branch_id": self.branch_id,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "capacity": self.capacity,
            "role": self.role,
        }

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Whether the slot shares time with ``[starts_at, ends_at)``."""
        return self.starts_at < ends_at and starts_at < self.ends_at


def _hosted_evening(branch: Branch, day: date) -> Slot | None:
    meirope = [o for o in branch.schedule().day_occurrences(day) if o.kind is OpeningKind.MEIROPE]
    if not meirope:
        return None
    ends = meirope[-1].ends.astimezone(ZONE)
    starts = max(meirope[-1].starts, ends - HOSTED).astimezone(ZONE)
    clock = starts.strftime("%H%M")
    return Slot(
        f"{branch.branch_id}-{day.isoformat()}-{clock}",
        branch.branch_id,
        starts,
        ends,
        HOSTS,
        "host",
    )


def slots(day: date) -> list[Slot]:
    """The demo's shifts on a day, by branch."""
    found = [
        slot
        for branch in BRANCHES
        if day.isoweekday() in PROGRAMME.get(branch.branch_id, frozenset())
        and (slot := _hosted_evening(branch, day)) is not None
    ]
    if day.isoweekday() == 6:
        starts = datetime.combine(day, HELPER_START, ZONE)
        found.append(
            Slot(
                f"{HELPER_BRANCH}-{day.isoformat()}-helpers",
                HELPER_BRANCH,
                starts,
                starts + HELPER_LENGTH,
                HELPERS,
                "helper",
            )
        )
    return found


def slots_between(first: date, last: date) -> list[Slot]:
    """The demo's shifts from ``first`` to ``last`` (both included), by day."""
    return [slot for n in range((last - first).days + 1) for slot in slots(first + timedelta(n))]
