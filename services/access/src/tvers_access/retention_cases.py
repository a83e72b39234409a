"""Use cases of retention: destroying month keys and removing day logs beyond their branch's
retention (decision 0014)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import uuid4

import structlog

from tvers_access.access_cases import AccessCases
from tvers_access.domain import door, retention
from tvers_access.domain.retention import DayLog, day_log
from tvers_access.domain.streams import (
    door_stream,
    retention_stream,
)
from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    PatronKeyDestroyed,
)
from tvers_runtime.application import CommandContext

log = structlog.get_logger(__name__)


class RetentionCases(AccessCases):
    """What the retention job does."""

    async def destroy_expired_keys(self, tenant: str) -> list[tuple[str, date]]:
        """Destroy every month key whose month lies wholly beyond its branch's retention for
        door decisions. Each destruction is first recorded as ``PatronKeyDestroyed`` under an
        id derived from branch and month (so two replicas, or a retry after a crash, record it
        once), then carried out. Returns what was destroyed now."""
        today = self._clock().astimezone(self._zone).date()
        destroyed = []
        for branch_id, months in sorted((await self._month_keys.live_months()).items()):
            rules = (await self.branch(branch_id)).retention
            for month in retention.keys_due(months, today, rules):
                context = CommandContext(
                    tenant=tenant,
                    correlation_id=uuid4(),
                    idempotency_key=f"patron-key-destroyed/{branch_id}/{month:%Y-%m}",
                    principal="system:retention",
                )
                event = PatronKeyDestroyed(
                    branch_id=branch_id, month=month, retention_days=rules.door_decisions_days
                )
                await self.execute(
                    context,
                    retention_stream(branch_id),
                    None,
                    lambda state, _: state,
                    _always([event]),
                    check_version=False,
                )
                await self._month_keys.destroy(branch_id, month)
                log.info("patron_key_destroyed", branch_id=branch_id, month=f"{month:%Y-%m}")
                destroyed.append((branch_id, month))
        return destroyed

    async def remove_expired_day_logs(self) -> int:
        """Remove the day logs (presentations, counter readings, alarms) whose day lies beyond
        their branch's retention for their kind; how many events went."""
        if self._day_logs is None:
            return 0
        today = self._clock().astimezone(self._zone).date()
        day_logs = [found for s in await self._day_logs.streams() if (found := day_log(s))]
        doors = {
            entry.owner: (await self.load(door_stream(entry.owner), door.NO_DOOR, door.evolve))
            for entry in day_logs
            if entry.kind == "presentations"
        }

        def branch_of(entry: DayLog) -> str | None:
            return (
                doors[entry.owner].state.branch_id if entry.kind == "presentations" else entry.owner
            )

        owners = {branch_id for entry in day_logs if (branch_id := branch_of(entry)) is not None}
        kept = {branch_id: (await self.branch(branch_id)).retention for branch_id in owners}
        due = retention.logs_due(day_logs, today, branch_of, kept.__getitem__)
        removed = await self._day_logs.remove_published([entry.stream_id for entry in due])
        if removed:
            log.info("door_logs_removed", streams=len(due), events=removed)
        return removed


def _always(events: list[DomainEvent]) -> Callable[[object], list[DomainEvent]]:
    """A decision that records ``events`` whatever the stream holds (a log-like stream)."""
    return lambda _: events
