"""The time-driven events of closing (decision 0015): what a scheduler stores, for one branch,
as it falls due: the announcements before a meirope closing and the building-empty check after.
No HTTP here, and no SQL."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog

from tvers_access.domain import closing
from tvers_access.domain.closing import Due, DueKind
from tvers_access.domain.occupancy_rules import BranchWithRules
from tvers_access.domain.streams import closing_stream, occupants_stream
from tvers_access.occupancy_application import branch_with_rules
from tvers_access.occupancy_logs import OccupancyLogs
from tvers_contracts import DomainEvent, EventRegistry
from tvers_runtime.application import UseCases
from tvers_runtime.eventstore import ANY_VERSION, DuplicateEventId, EventStore, NewEvent

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Emitted:
    """A time-driven event that fell due: its id, when it fell due, the event (None: a check
    that found the building empty), and whether it had been stored before (by another
    scheduler, or by this one before a restart)."""

    event_id: UUID
    due_at: datetime
    event: DomainEvent | None
    already_stored: bool = False


class ClosingEvents(UseCases):
    """Stores a branch's closing announcements and checks, each under the id only it has."""

    def __init__(self, store: EventStore, registry: EventRegistry, *, timezone: str) -> None:
        super().__init__(store, registry)
        self._zone = ZoneInfo(timezone)
        self._logs = OccupancyLogs(store, registry, self._zone)

    async def emit_due(
        self,
        tenant: str,
        branch_id: str,
        *,
        since: datetime,
        now: datetime,
        done: Collection[UUID] = (),
    ) -> list[Emitted]:
        """Store the time-driven events of a branch that fell due after ``since`` up to
        ``now``, but those in ``done``. Storing one again, from here or another replica,
        stores nothing twice (its id is :meth:`Due.event_id`)."""
        state = await branch_with_rules(self, branch_id)
        if not state.branch.registered:
            return []
        schedule = state.branch.schedule(self._zone)
        emitted = []
        for item in closing.due(schedule, state.rules, since=since, now=now):
            event_id = item.event_id(tenant, branch_id)
            if event_id in done:
                continue
            event, stream = await self._event(state, branch_id, item)
            stored = False
            if event is not None:
                stored = await self._store_once(tenant, branch_id, item, event, stream, now)
            emitted.append(Emitted(event_id, item.at, event, stored))
        return emitted

    async def _event(
        self, state: BranchWithRules, branch_id: str, item: Due
    ) -> tuple[DomainEvent | None, str]:
        if item.kind is DueKind.ANNOUNCEMENT:
            day = self._logs.day(item.closing.ends)
            return closing.announce(branch_id, item), closing_stream(branch_id, day)
        alerts = await self._logs.alerts(branch_id)
        # The occupancy of the opening that closed, at the moment of the check.
        inside = await self._logs.occupancy(
            state, alerts, opening_at=item.closing.ends, until=item.at
        )
        return closing.check(branch_id, item, inside), occupants_stream(branch_id)

    async def _store_once(
        self,
        tenant: str,
        branch_id: str,
        item: Due,
        event: DomainEvent,
        stream: str,
        now: datetime,
    ) -> bool:
        """Append a time-driven event under its own id; True when it was stored before."""
        new = NewEvent.of(
            event,
            tenant=tenant,
            correlation_id=item.correlation_id(tenant, branch_id),
            event_id=item.event_id(tenant, branch_id),
            occurred_at=now,
        )
        try:
            result = await self._store.append(stream, ANY_VERSION, [new])
        except DuplicateEventId:  # stored in another stream: not by this code, but stored
            log.warning("time_driven_event_stored_elsewhere", event_id=str(new.event_id))
            return True
        return result.already_stored
