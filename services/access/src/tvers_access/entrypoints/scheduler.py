"""The closing scheduler: a background task of the access service that, at each tick of its
clock, stores the time-driven events of every branch that have fallen due (decision 0015).

**Exactly once, with any number of replicas and across restarts**, comes from the events' ids,
not from the scheduler: each id is derived from tenant, branch, closing instant and kind, and
the event store stores an event id once (a repeat of the same append stores nothing). So every
replica may compute and append everything due; whichever comes first stores it. A replica
remembers what it has done, to spare the store the repeats, for as long as those ids can fall
due again (the look-back).

**After a pause** (the service was down, or the tick was late) each tick looks back over the
whole look-back window, so what fell due meanwhile is made then: late announcements while the
closing is still ahead, checks for closings within the window. What lies further back is not
made any more.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from uuid import UUID

import structlog

from tvers_access.adapters.registered_branches import RegisteredBranch
from tvers_access.closing_application import ClosingEvents, Emitted
from tvers_runtime.aio import repeat, stopping
from tvers_runtime.clock import Clock

log = structlog.get_logger(__name__)
Branches = Callable[[], Awaitable[list[RegisteredBranch]]]


class ClosingScheduler:
    """Makes the closing announcements and building-empty checks as they fall due."""

    def __init__(
        self,
        cases: ClosingEvents,
        branches: Branches,
        *,
        clock: Clock,
        interval: float,
        look_back: timedelta,
    ) -> None:
        self._cases = cases
        self._branches = branches
        self._clock = clock
        self._interval = interval
        self._look_back = look_back
        self._done: dict[UUID, datetime] = {}  # event id -> when it fell due

    async def tick(self) -> list[Emitted]:
        """Store what has fallen due within the look-back and is not yet done; return it."""
        now = self._clock()
        since = now - self._look_back
        emitted: list[Emitted] = []
        for branch in await self._branches():
            try:
                found = await self._cases.emit_due(
                    branch.tenant, branch.branch_id, since=since, now=now, done=self._done
                )
            except Exception:  # one branch's trouble must not keep the others' closings back
                if stopping():
                    raise
                log.exception("closing_scheduler_branch_failed", branch_id=branch.branch_id)
                continue
            for item in found:
                self._done[item.event_id] = item.due_at
                self._log(branch, item)
            emitted.extend(found)
        # What fell due before the window cannot fall due again: forget it.
        self._done = {key: at for key, at in self._done.items() if at > since}
        return emitted

    async def run(self) -> None:
        """Tick until cancelled."""
        log.info("closing_scheduler_started", interval=self._interval)
        await repeat(self.tick, interval=self._interval, failed="closing_scheduler_tick_failed")

    @staticmethod
    def _log(branch: RegisteredBranch, item: Emitted) -> None:
        if item.event is None:
            log.info("building_empty_at_closing", branch_id=branch.branch_id)
        elif item.already_stored:
            log.debug("time_driven_event_already_stored", event_id=str(item.event_id))
        else:
            log.info(
                "time_driven_event_stored",
                branch_id=branch.branch_id,
                event_type=item.event.event_type(),
                event_id=str(item.event_id),
                due_at=item.due_at.isoformat(),
            )
