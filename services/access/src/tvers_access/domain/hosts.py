"""Volunteer hosts at a branch: who the volunteers service says is checked in on a shift, and who
counts as there at a moment. Pure, no I/O.

A check-in counts until its check-out, and at most until its shift's end. The volunteers service
closes a forgotten check-out by rule, at the shift's end but only once the day is over, so the
status does not wait for that: past the shift's end nobody can tell whether the host is still
there, and the status says no host rather than one who may have gone home.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from tvers_contracts.events.volunteers import ShiftAttendanceEvent


@dataclass(frozen=True)
class CheckedInHost:
    """A volunteer (an opaque id) checked in on a shift at a branch, and not checked out."""

    shift_id: UUID
    volunteer_id: UUID
    checked_in_at: datetime
    shift_ends_at: datetime


class CheckedInHosts(Protocol):
    """The hosts checked in at each branch, as learned from the volunteers service."""

    async def at_branch(self, tenant: str, branch_id: str) -> list[CheckedInHost]:
        """Every check-in at a branch not yet followed by its check-out."""
        ...


def shift_stream(shift_id: UUID) -> str:
    """The volunteers service's stream of a shift, which its check-ins and check-outs are on."""
    return f"shift-{shift_id}"


def present_on_shift(event: ShiftAttendanceEvent) -> list[CheckedInHost]:
    """Who is checked in on the event's shift once it has happened (the event lists them all)."""
    return [
        CheckedInHost(event.shift_id, host.volunteer_id, host.checked_in_at, event.ends_at)
        for host in event.present
    ]


def hosts_on_duty(hosts: Iterable[CheckedInHost], now: datetime) -> int:
    """How many volunteers count as hosting at ``now``: checked in, and their shift not over."""
    return len({host.volunteer_id for host in hosts if now < host.shift_ends_at})
