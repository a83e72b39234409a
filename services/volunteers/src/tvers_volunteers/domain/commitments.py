"""A volunteer's commitments: the shifts they hold, across every shift's stream, so that a claim
can be refused when it overlaps one of them. Pure, no I/O.

Which shifts a volunteer holds spans aggregates (each shift is its own stream), so the
application keeps this view per volunteer, built from the shift events that name them, and loads
(and locks) it with the claim. Shifts are half-open spans ``[start, end)``: one that ends when
another starts does not overlap it, so a volunteer may host 16:00-18:00 and 18:00-20:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    PromotedFromWaitlist,
    ShiftCancelled,
    ShiftClaimed,
    ShiftReleased,
)
from tvers_contracts.schedule import OSLO
from tvers_runtime.domain import Conflict


@dataclass(frozen=True)
class Commitment:
    """A shift a volunteer holds a place on."""

    shift_id: UUID
    starts_at: datetime
    ends_at: datetime

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Whether ``[starts_at, ends_at)`` shares a moment with the shift (touching does not)."""
        return self.starts_at < ends_at and starts_at < self.ends_at


@dataclass(frozen=True)
class Commitments:
    """The shifts one volunteer holds."""

    volunteer_id: UUID | None = None
    held: tuple[Commitment, ...] = ()

    def overlapping(
        self, starts_at: datetime, ends_at: datetime, *, shift_id: UUID | None = None
    ) -> Commitment | None:
        """The first held shift (other than ``shift_id``) that overlaps ``[starts_at, ends_at)``."""
        return next(
            (
                held
                for held in sorted(self.held, key=lambda c: c.starts_at)
                if held.shift_id != shift_id and held.overlaps(starts_at, ends_at)
            ),
            None,
        )


def evolve(commitments: Commitments, event: DomainEvent) -> Commitments:
    """The volunteer's commitments after a shift event (events about others change nothing)."""
    mine = commitments.volunteer_id
    if isinstance(event, ShiftClaimed | PromotedFromWaitlist) and event.volunteer_id == mine:
        taken = Commitment(event.shift_id, event.starts_at, event.ends_at)
        return Commitments(mine, (*_without(commitments.held, event.shift_id), taken))
    if isinstance(event, ShiftReleased) and event.volunteer_id == mine:
        return Commitments(mine, _without(commitments.held, event.shift_id))
    if isinstance(event, ShiftCancelled) and mine in event.volunteers:
        return Commitments(mine, _without(commitments.held, event.shift_id))
    return commitments


def must_be_free(
    commitments: Commitments, *, shift_id: UUID, starts_at: datetime, ends_at: datetime
) -> None:
    """Refuse a place on a shift that overlaps one the volunteer already holds."""
    clash = commitments.overlapping(starts_at, ends_at, shift_id=shift_id)
    if clash is not None:
        raise Conflict(
            f"you already hold a shift from {_local(clash.starts_at)} to {_local(clash.ends_at)}"
            " that overlaps this one"
        )


def _without(held: tuple[Commitment, ...], shift_id: UUID) -> tuple[Commitment, ...]:
    return tuple(c for c in held if c.shift_id != shift_id)


def _local(moment: datetime) -> str:
    return moment.astimezone(OSLO).strftime("%Y-%m-%d %H:%M")
