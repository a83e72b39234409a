"""What every family of the access service's use cases shares: the ports, the clock and
the time zone, and how a branch and an agreement are loaded."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tvers_access.adapters.pseudonyms import (
    MonthKeys,
    PatronReferences,
)
from tvers_access.domain import agreement, branch, door
from tvers_access.domain.agreement import Agreement
from tvers_access.domain.branch import Branch
from tvers_access.domain.hosts import CheckedInHosts
from tvers_access.domain.patron import LibrarySystem
from tvers_access.domain.retention import DayLogs
from tvers_access.domain.streams import (
    agreement_stream,
    branch_stream,
    door_stream,
)
from tvers_contracts import EventRegistry
from tvers_runtime.application import Aggregate, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys


class AccessCases(UseCases):
    """The base of the access use cases: the ports they are wired with."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        patrons: PatronReferences,
        month_keys: MonthKeys,
        library: LibrarySystem,
        *,
        hosts: CheckedInHosts,
        timezone: str,
        backfill: timedelta,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
        day_logs: DayLogs | None = None,
    ) -> None:
        # The clock dates what a command stores (a demo's past, a test's day), as elsewhere.
        super().__init__(store, registry, keys=keys, clock=clock)
        self._patrons = patrons
        self._month_keys = month_keys
        self._library = library
        self._hosts = hosts
        self._zone = ZoneInfo(timezone)
        self._backfill = backfill
        self._clock = clock
        self._day_logs = day_logs

    async def branch(self, branch_id: str) -> branch.Branch:
        """A branch as it stands (or ``NO_BRANCH``)."""
        aggregate = self.branch_aggregate(branch_id)
        loaded = await self.load(
            aggregate.stream_id, aggregate.initial, aggregate.evolve, remember=True
        )
        return loaded.state

    @staticmethod
    def branch_aggregate(branch_id: str) -> Aggregate[Branch]:
        """Where a branch's events are and how it is built (remembered in this process)."""
        return Aggregate(branch_stream(branch_id), branch.NO_BRANCH, branch.evolve, remember=True)

    # The schedule's dated exceptions, the branch status and the published hours (0013).

    async def _registered(self, branch_id: str) -> Branch:
        found = await self.branch(branch_id)
        if not found.registered:
            raise NotFound(f"no branch {branch_id!r}")
        return found

    @property
    def zone(self) -> ZoneInfo:
        """The municipality's time zone, which every schedule is read in."""
        return self._zone

    async def agreement_of(self, patron_ref: str) -> Agreement:
        """A patron's agreement as it stands."""
        loaded = await self.load(
            agreement_stream(patron_ref), agreement.NO_AGREEMENT, agreement.evolve
        )
        return loaded.state

    async def door_branch(self, door_id: str) -> str | None:
        """The branch a door is at (``None`` for no such door)."""
        return (await self.door(door_id)).branch_id

    async def door(self, door_id: str) -> door.Door:
        """A door as it stands (or ``NO_DOOR``)."""
        loaded = await self.load(door_stream(door_id), door.NO_DOOR, door.evolve, remember=True)
        return loaded.state
