"""The use cases of occupancy, closing and alarms (decision 0015): counter reports and door
alarms from a door's controller, a branch's occupancy rules, the occupancy and the open alert of
a branch, staff clearing the building, and the time-driven events a scheduler asks for.
No HTTP here, and no SQL."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog

from tvers_access.domain import alarms, closing, door, occupancy, occupancy_rules
from tvers_access.domain.closing import Due, DueKind
from tvers_access.domain.door import Door
from tvers_access.domain.occupancy import Reading
from tvers_access.domain.occupancy_rules import BranchWithRules
from tvers_access.domain.streams import (
    alarms_stream,
    branch_stream,
    closing_stream,
    counts_stream,
    door_stream,
    occupants_stream,
)
from tvers_access.occupancy_logs import OccupancyLogs
from tvers_contracts import DomainEvent, EventRegistry
from tvers_contracts.events.access import (
    DoorAlarmKind,
    OccupantsRemainedAtClosing,
    PeopleCounted,
    TailgatingSuspected,
)
from tvers_runtime.application import CommandContext, Outcome, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound, RuleViolated
from tvers_runtime.eventstore import ANY_VERSION, DuplicateEventId, EventStore, NewEvent
from tvers_runtime.idempotency import IdempotencyKeys

#: How far ahead of the service's clock a door controller's clock may run.
CLOCK_SKEW = timedelta(minutes=5)
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Counted:
    """What a counter report did: the report, and the suspicion it raised, if any."""

    report: PeopleCounted
    tailgating: TailgatingSuspected | None


@dataclass(frozen=True)
class OccupancyStatus:
    """A branch's occupancy now, and its latest open alert of people left at closing."""

    occupancy: int
    alert: OccupantsRemainedAtClosing | None


@dataclass(frozen=True)
class Emitted:
    """A time-driven event the scheduler asked for: its id, when it fell due, the event (None:
    a check that found the building empty), and whether another scheduler stored it first."""

    event_id: UUID
    due_at: datetime
    event: DomainEvent | None
    already_stored: bool = False


class OccupancyApplication(UseCases):
    """Use cases of the counter, the alarms and closing."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        timezone: str,
        backfill: timedelta,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(store, registry, keys=keys)
        self._zone = ZoneInfo(timezone)
        self._logs = OccupancyLogs(store, registry, self._zone)
        self._backfill = backfill
        self._clock = clock

    # Commands of a door's controller.

    async def report_count(
        self,
        context: CommandContext,
        *,
        door_id: str,
        entries: int,
        exits: int,
        counted_at: datetime,
        sequence: int,
    ) -> Counted:
        """A counter's report: stored, then judged for tailgating."""
        self._check_time(counted_at, "counted_at")
        at_door = await self._door(door_id)
        report = occupancy.count(
            at_door, entries=entries, exits=exits, counted_at=counted_at, sequence=sequence
        )
        branch_id = report.branch_id
        await self.execute(
            context,
            counts_stream(branch_id, self._logs.day(counted_at)),
            None,
            lambda state, _: state,
            lambda _: [report],
            check_version=False,
            occurred_at=counted_at,
        )
        return Counted(report, await self._judge(context, at_door, Reading.of(report)))

    async def raise_alarm(
        self, context: CommandContext, *, door_id: str, kind: DoorAlarmKind, raised_at: datetime
    ) -> Outcome:
        """A door controller's alarm: held open or forced."""
        self._check_time(raised_at, "raised_at")
        at_door = await self._door(door_id)
        alarm = alarms.raise_alarm(at_door, kind=kind, raised_at=raised_at)
        return await self.execute(
            context,
            alarms_stream(alarm.branch_id, self._logs.day(raised_at)),
            None,
            lambda state, _: state,
            lambda _: [alarm],
            check_version=False,
            occurred_at=raised_at,
        )

    async def _judge(
        self, context: CommandContext, at_door: Door, report: Reading
    ) -> TailgatingSuspected | None:
        assert at_door.branch_id is not None
        state = await self.branch(at_door.branch_id)
        window = state.rules.tailgating_window
        since = report.counted_at - alarms.HORIZON_WINDOWS * window
        suspicion = alarms.tailgating(
            at_door,
            report,
            readings=await self._logs.readings(at_door.branch_id, since, report.counted_at),
            grants=await self._logs.grants(report.door_id, since, report.counted_at),
            window=window,
            opening=state.branch.schedule(self._zone).mode_at(report.counted_at),
        )
        if suspicion is not None:
            await self._store.append(
                alarms_stream(suspicion.branch_id, self._logs.day(report.counted_at)),
                ANY_VERSION,
                [
                    NewEvent.of(
                        suspicion,
                        tenant=context.tenant,
                        correlation_id=context.correlation_id,
                        event_id=alarms.tailgating_event_id(context.tenant, report),
                        occurred_at=report.counted_at,
                    )
                ],
            )
        return suspicion

    # The branch's rules, occupancy and alerts.

    async def set_rules(
        self,
        context: CommandContext,
        branch_id: str,
        *,
        announce_minutes_before: Sequence[int],
        check_after_minutes: int,
        tailgating_window_seconds: int,
    ) -> Outcome:
        """Set when a branch's meirope closings are announced and checked, and its tailgating
        window."""
        return await self.execute(
            context,
            branch_stream(branch_id),
            occupancy_rules.NO_BRANCH,
            occupancy_rules.evolve,
            lambda state: occupancy_rules.set_rules(
                state,
                announce_minutes_before=announce_minutes_before,
                check_after_minutes=check_after_minutes,
                tailgating_window_seconds=tailgating_window_seconds,
            ),
        )

    async def branch(self, branch_id: str) -> BranchWithRules:
        """A branch with its occupancy rules (its branch unregistered when there is none)."""
        loaded = await self.load(
            branch_stream(branch_id), occupancy_rules.NO_BRANCH, occupancy_rules.evolve
        )
        return loaded.state

    async def status(self, branch_id: str, *, now: datetime) -> OccupancyStatus:
        """A registered branch's occupancy now and its latest open alert."""
        state = await self._registered(branch_id)
        alerts = await self._logs.alerts(branch_id)
        inside = await self._logs.occupancy(state, alerts, opening_at=now, until=now)
        return OccupancyStatus(inside, alerts.latest)

    async def clear_occupants(self, context: CommandContext, branch_id: str) -> Outcome:
        """Staff found the building empty: the open alerts are cleared, and occupancy counts
        from zero from now."""
        now = self._clock()
        state = await self._registered(branch_id)
        alerts = await self._logs.alerts(branch_id)
        inside = await self._logs.occupancy(state, alerts, opening_at=now, until=now)
        return await self.execute(
            context,
            occupants_stream(branch_id),
            closing.NO_ALERTS,
            closing.evolve,
            lambda current: closing.clear(current, branch_id=branch_id, occupancy=inside, now=now),
            occurred_at=now,
        )

    # What the scheduler asks for.

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
        ``now``, but those in ``done``. Each has an id of its own (``Due.event_id``): storing
        it again, from here or another replica, stores nothing twice."""
        state = await self.branch(branch_id)
        if not state.branch.registered:
            return []
        schedule = state.branch.schedule(self._zone)
        emitted = []
        for item in closing.due(schedule, state.rules, since=since, now=now):
            event_id = item.event_id(tenant, branch_id)
            if event_id in done:
                continue
            event, stream = await self._time_driven(state, branch_id, item)
            stored = False
            if event is not None:
                stored = await self._store_once(tenant, branch_id, item, event, stream, now)
            emitted.append(Emitted(event_id, item.at, event, stored))
        return emitted

    async def _time_driven(
        self, state: BranchWithRules, branch_id: str, item: Due
    ) -> tuple[DomainEvent | None, str]:
        if item.kind is DueKind.ANNOUNCEMENT:
            day = self._logs.day(item.closing.ends)
            return closing.announce(branch_id, item), closing_stream(branch_id, day)
        alerts = await self._logs.alerts(branch_id)
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

    async def _registered(self, branch_id: str) -> BranchWithRules:
        state = await self.branch(branch_id)
        if not state.branch.registered:
            raise NotFound(f"no branch {branch_id!r}")
        return state

    async def _door(self, door_id: str) -> Door:
        found = (await self.load(door_stream(door_id), door.NO_DOOR, door.evolve)).state
        if found.branch_id is None:
            raise NotFound(f"no door {door_id!r}")
        return found

    def _check_time(self, moment: datetime, name: str) -> None:
        now = self._clock()
        if moment > now + CLOCK_SKEW:
            raise RuleViolated(f"{name} lies in the future")
        if moment < now - self._backfill:
            raise RuleViolated(f"{name} is older than {self._backfill.days} days")
