"""The shift scheduler: a background task of the volunteers service that, at each tick of its
clock, stores what has fallen due on the shifts around now (decision 0026): forgotten check-outs
closed by rule, no-shows and reminders.

**Once, with any number of replicas and across restarts**, comes from the shift streams, not
from the scheduler: each shift's events are appended with the version they were decided from,
and a scheduler that loses the race reloads the shift and finds nothing left to do
(:mod:`tvers_volunteers.time_driven_cases`). So every replica may look at every shift.

**After a pause** (the service was down, or a tick was late) each tick looks back over the whole
look-back, so what fell due meanwhile is made then: no-shows and forgotten check-outs of the
shifts that ended within it, reminders of the shifts not yet started.

One shift's trouble is logged and leaves the others alone; it is tried again at the next tick.
A replica remembers the shifts on which nothing can fall due any more (check-out has closed
and what was due then is stored), so that it reads each of them once, not at every tick.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import structlog

from tvers_runtime.aio import repeat, stopping
from tvers_runtime.clock import Clock
from tvers_volunteers.time_driven_cases import Emitted, TimeDrivenCases

log = structlog.get_logger(__name__)

#: Shifts read from the event store at once.
BATCH = 100


class ShiftScheduler:
    """Stores the time-driven events of shifts as they fall due."""

    def __init__(
        self,
        cases: TimeDrivenCases,
        *,
        clock: Clock,
        interval: float,
        look_back: timedelta,
    ) -> None:
        self._cases = cases
        self._clock = clock
        self._interval = interval
        self._look_back = look_back
        self._settled: dict[UUID, datetime] = {}  # shift id -> its end

    async def tick(self) -> list[Emitted]:
        """Store what is due and not yet stored; return what this replica stored."""
        now = self._clock()
        scheduled = [
            item
            for item in await self._cases.scheduled(now=now, look_back=self._look_back)
            if item.shift_id not in self._settled
        ]
        stored: list[Emitted] = []
        for start in range(0, len(scheduled), BATCH):
            batch = scheduled[start : start + BATCH]
            failed: set[UUID] = set()
            for item in await self._cases.with_something_due(batch, now=now):
                try:
                    events = await self._cases.emit_due(item, now=now)
                except Exception:  # one shift's trouble must not keep the others back
                    if stopping():
                        raise
                    log.exception("shift_scheduler_shift_failed", shift_id=str(item.shift_id))
                    failed.add(item.shift_id)
                    continue
                if events:
                    log.info(
                        "time_driven_events_stored",
                        shift_id=str(item.shift_id),
                        events=[event.event_type() for event in events],
                    )
                    stored.append(Emitted(item, events))
            for item in batch:
                if item.shift_id not in failed and now >= item.settles_at:
                    self._settled[item.shift_id] = item.shift.ends_at
        # A shift that ended before the look-back is not looked at again anyway: forget it.
        since = now - self._look_back
        self._settled = {key: ends for key, ends in self._settled.items() if ends > since}
        return stored

    async def run(self) -> None:
        """Tick until cancelled."""
        log.info("shift_scheduler_started", interval=self._interval)
        await repeat(self.tick, interval=self._interval, failed="shift_scheduler_tick_failed")
