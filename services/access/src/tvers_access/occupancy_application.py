"""The use cases of occupancy and alarms (decision 0015): counter reports and door alarms from
a door's controller, a branch's occupancy rules, the occupancy and the open alert of a branch,
and staff clearing the building. The time-driven events are in
:mod:`tvers_access.closing_application`. No HTTP here, and no SQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import structlog

from tvers_access.domain import alarms, closing, door, occupancy, occupancy_rules
from tvers_access.domain.door import Door
from tvers_access.domain.occupancy import Reading
from tvers_access.domain.occupancy_rules import BranchWithRules
from tvers_access.domain.retention import Retention, check_kept
from tvers_access.domain.streams import (
    alarms_stream,
    branch_stream,
    counts_stream,
    door_stream,
    occupants_stream,
)
from tvers_access.occupancy_logs import OccupancyLogs
from tvers_contracts import EventRegistry
from tvers_contracts.events.access import (
    DoorAlarmKind,
    OccupantsRemainedAtClosing,
    PeopleCounted,
    TailgatingSuspected,
)
from tvers_runtime.application import CommandContext, Outcome, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound, RuleViolated
from tvers_runtime.eventstore import ANY_VERSION, EventStore, NewEvent
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


async def branch_with_rules(cases: UseCases, branch_id: str) -> BranchWithRules:
    """A branch with its occupancy rules (its branch unregistered when there is none)."""
    loaded = await cases.load(
        branch_stream(branch_id), occupancy_rules.NO_BRANCH, occupancy_rules.evolve
    )
    return loaded.state


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
        await self._check_kept(at_door, counted_at, "counted_at", lambda kept: kept.counter_days)
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
        await self._check_kept(at_door, raised_at, "raised_at", lambda kept: kept.alarms_days)
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
        return await branch_with_rules(self, branch_id)

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

    async def _check_kept(
        self, at_door: Door, moment: datetime, name: str, days: Callable[[Retention], int]
    ) -> None:
        assert at_door.branch_id is not None
        kept = (await self.branch(at_door.branch_id)).branch.retention
        today = self._clock().astimezone(self._zone).date()
        check_kept(moment.astimezone(self._zone).date(), today, days(kept), name)

    def _check_time(self, moment: datetime, name: str) -> None:
        now = self._clock()
        if moment > now + CLOCK_SKEW:
            raise RuleViolated(f"{name} lies in the future")
        if moment < now - self._backfill:
            raise RuleViolated(f"{name} is older than {self._backfill.days} days")
