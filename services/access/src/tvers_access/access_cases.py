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
from tvers_runtime.application import Aggregate, CommandContext, UseCases
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

    async def agreement_of_card_now(
        self, context: CommandContext, card_number: str
    ) -> tuple[str, Agreement]:
        """The current key's reference of a card and the agreement under it, carried over from
        the previous key's reference first if it is only there (decision 0051)."""
        patron_ref = self._patrons.of(card_number)
        found = await self.agreement_of(patron_ref)
        if found.standing is agreement.Standing.NONE:
            found = await self.carry_over(context, card_number, patron_ref) or found
        return patron_ref, found

    async def carry_over(
        self, context: CommandContext, card_number: str, patron_ref: str
    ) -> Agreement | None:
        """Move the card's agreement from the previous key's reference to ``patron_ref`` (the
        current key's), if it has one there; the agreement as it now stands under
        ``patron_ref``, or ``None`` if there was nothing to carry over.

        The old stream records the move first and the new one starts second, each decided so
        that a second try stores nothing: two doors racing, a repeated request, or a crash
        between the two appends (the next visit finishes it). They are the system's own events,
        not the request's, so they go without its idempotency key."""
        previous_ref = self._patrons.previous_of(card_number)
        if previous_ref is None:
            return None
        before = await self.agreement_of(previous_ref)
        if before.standing is agreement.Standing.NONE:
            return None
        own = CommandContext(
            tenant=context.tenant,
            correlation_id=context.correlation_id,
            principal=context.principal,
        )
        await self.execute(
            own,
            agreement_stream(previous_ref),
            agreement.NO_AGREEMENT,
            agreement.evolve,
            lambda state: agreement.move(state, patron_ref=previous_ref, new_ref=patron_ref),
        )
        await self.execute(
            own,
            agreement_stream(patron_ref),
            agreement.NO_AGREEMENT,
            agreement.evolve,
            lambda state: agreement.rekey(
                state, before, patron_ref=patron_ref, previous_ref=previous_ref
            ),
        )
        return await self.agreement_of(patron_ref)

    async def agreement_refs(self, patron_ref: str) -> set[str]:
        """The references an agreement reference goes by: itself, and the current key's one
        if its agreement was moved there (a child's guardian named before a rotation)."""
        moved_to = (await self.agreement_of(patron_ref)).moved_to
        return {patron_ref} if moved_to is None else {patron_ref, moved_to}

    async def door_branch(self, door_id: str) -> str | None:
        """The branch a door is at (``None`` for no such door)."""
        return (await self.door(door_id)).branch_id

    async def door(self, door_id: str) -> door.Door:
        """A door as it stands (or ``NO_DOOR``)."""
        loaded = await self.load(door_stream(door_id), door.NO_DOOR, door.evolve, remember=True)
        return loaded.state
