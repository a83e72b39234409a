"""Use cases of what the clock makes due on shifts (decision 0026): forgotten check-outs closed
by rule, no-shows and reminders (the rules are :mod:`.domain.time_driven`), stored by the
scheduler (:mod:`.entrypoints.scheduler`). No HTTP here, and no SQL: the shift index is a port.

**Once, with any number of replicas.** A shift's due events are appended with the version of
the state they were decided from. Two schedulers deciding on one shift at once append at the same
version: one append is stored, the other is refused, reloads the shift and finds nothing left to
do (the stored events changed the shift so that deciding again gives nothing). A restart is the
same: what was stored before is in the stream, and is not decided again.

**Which shifts are looked at**: those overlapping ``[now - look_back, now + LOOK_AHEAD)``, from
the shift index. Ahead, reminders: one falls due at most 37 hours before its shift starts (noon
the day before, for a shift starting just before midnight on the autumn night's 25-hour day).
Behind, the rule on forgotten check-outs acts at most :data:`CHECK_OUT_CLOSES_WITHIN` after a
shift's end; what the look-back holds beyond that is how long the service may be away and still
make, when it is back, what fell due meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

import structlog

from tvers_contracts import DomainEvent, EventRegistry
from tvers_runtime.aio import stopping
from tvers_runtime.application import UseCases
from tvers_runtime.eventstore import EventStore
from tvers_volunteers.adapters.shift_index import IndexedShift
from tvers_volunteers.domain import shift, time_driven
from tvers_volunteers.domain.shift import NO_SHIFT, Shift
from tvers_volunteers.domain.windows import check_out_closes
from tvers_volunteers.shift_cases import system_context

log = structlog.get_logger(__name__)

#: How far ahead shifts are looked at: more than the longest time from a reminder falling due to
#: its shift's start (37 hours).
LOOK_AHEAD = timedelta(hours=48)
#: The longest time from a shift's end to the moment check-out closes and the rule closes a
#: forgotten one: the end of the day a shift ending just after midnight ends on, on the autumn
#: night's 25-hour day. A look-back must be longer.
CHECK_OUT_CLOSES_WITHIN = timedelta(hours=25)


class ShiftWindow(Protocol):
    """Every tenant's shifts by time (``adapters.shift_index.PostgresShiftIndex.around``)."""

    async def around(self, after: datetime, before: datetime) -> list[tuple[str, IndexedShift]]: ...


@dataclass(frozen=True)
class Scheduled:
    """A shift on which something may fall due, and its tenant."""

    tenant: str
    shift: IndexedShift

    @property
    def shift_id(self) -> UUID:
        """The shift's id."""
        return self.shift.shift_id

    @property
    def settles_at(self) -> datetime:
        """From this moment nothing more can fall due on the shift: check-out has closed, no
        one can claim, check in or be reminded, and once what is due then is stored, deciding
        again gives nothing."""
        return check_out_closes(self.shift.ends_at)


@dataclass(frozen=True)
class Emitted:
    """Events a scheduler stored on a shift."""

    scheduled: Scheduled
    events: list[DomainEvent]


class TimeDrivenCases(UseCases):
    """Stores what falls due on shifts by the clock, once."""

    def __init__(self, store: EventStore, registry: EventRegistry, *, index: ShiftWindow) -> None:
        super().__init__(store, registry, one_tenant_per_stream=True)
        self._index = index

    async def scheduled(self, *, now: datetime, look_back: timedelta) -> list[Scheduled]:
        """The shifts on which something may be due at ``now``: every tenant's shifts starting
        within :data:`LOOK_AHEAD` and those that ended within ``look_back``, by start."""
        found = await self._index.around(now - look_back, now + LOOK_AHEAD)
        return [Scheduled(tenant, row) for tenant, row in found]

    async def with_something_due(
        self, scheduled: Sequence[Scheduled], *, now: datetime
    ) -> list[Scheduled]:
        """Those of ``scheduled`` on which something is due at ``now``, from one read of their
        streams. When that read fails (a stream that cannot be read, say), all of them: each is
        then tried on its own, and only its own trouble keeps it back."""
        streams = [shift.stream(item.shift_id) for item in scheduled]
        try:
            loaded = await self.load_many(streams, NO_SHIFT, shift.evolve)
        except Exception:
            if stopping():
                raise
            log.warning("time_driven_batch_read_failed", shifts=len(streams), exc_info=True)
            return list(scheduled)
        return [
            item
            for item, stream in zip(scheduled, streams, strict=True)
            if _anything_due(loaded[stream].state, now)
        ]

    async def emit_due(self, scheduled: Scheduled, *, now: datetime) -> list[DomainEvent]:
        """Store what is due on the shift at ``now``, as of ``now``; what this call stored
        (nothing when another scheduler stored it first)."""
        outcome = await self.execute(
            system_context(scheduled.tenant),
            shift.stream(scheduled.shift_id),
            NO_SHIFT,
            shift.evolve,
            lambda state: time_driven.due(state, now=now),
            occurred_at=now,
        )
        return outcome.events


def _anything_due(state: Shift, now: datetime) -> bool:
    try:
        return bool(time_driven.due(state, now=now))
    except Exception:  # a state the rules refuse: left to its own try, which says why
        return True


__all__ = [
    "CHECK_OUT_CLOSES_WITHIN",
    "LOOK_AHEAD",
    "Emitted",
    "Scheduled",
    "ShiftWindow",
    "TimeDrivenCases",
]
