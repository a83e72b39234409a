"""Use cases of shifts as such: published by staff, proposals confirmed or withdrawn, cancelled,
and read one by one or by time. Places and attendance build on these (:mod:`.place_cases`,
:mod:`.attendance_cases`). No HTTP here, and no SQL: the index and the locks are ports.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol
from uuid import UUID

from tvers_contracts import DomainEvent, EventRegistry
from tvers_contracts.events.volunteers import ShiftRole, WithdrawalReason
from tvers_runtime.application import CommandContext, Outcome, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import DomainError
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_runtime.known_branches import BranchDirectory
from tvers_volunteers.adapters.shift_index import IndexedShift
from tvers_volunteers.domain import publishing, shift
from tvers_volunteers.domain.shift import NO_SHIFT, Decide, Shift, Stage


class ShiftIndex(Protocol):
    """Where shifts lie in time and who joined which (``adapters.shift_index``)."""

    async def note_shift(self, tenant: str, shift: IndexedShift) -> None: ...

    async def forget_unstored_shift(self, shift_id: UUID) -> None: ...

    async def note_volunteer(self, volunteer_id: UUID, shift_id: UUID) -> None: ...

    async def between(
        self,
        tenant: str,
        after: datetime,
        before: datetime,
        *,
        branch_id: str | None = None,
        limit: int = 500,
    ) -> list[IndexedShift]: ...

    async def of_volunteer(
        self, volunteer_id: UUID, after: datetime, before: datetime, *, limit: int = 2000
    ) -> list[IndexedShift]: ...


class Locks(Protocol):
    """Serialises commands on the same keys (``tvers_runtime.db.key_locks.KeyLocks``)."""

    def holding(self, keys: Iterable[str]) -> AbstractAsyncContextManager[None]: ...


def shift_key(shift_id: UUID) -> str:
    """The lock key of a shift's places."""
    return f"shift:{shift_id}"


def volunteer_key(volunteer_id: UUID) -> str:
    """The lock key of a volunteer's commitments."""
    return f"volunteer:{volunteer_id}"


class ShiftCases(UseCases):
    """Shifts: published, proposed, confirmed, withdrawn, cancelled; and read."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        branches: BranchDirectory,
        index: ShiftIndex,
        locks: Locks,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock, one_tenant_per_stream=True)
        self._branches = branches
        self._index = index
        self._locks = locks
        self._clock = clock

    def now(self) -> datetime:
        """The service's clock."""
        return self._clock()

    async def publish_shift(
        self,
        context: CommandContext,
        *,
        branch_id: str,
        starts_at: datetime,
        ends_at: datetime,
        capacity: int,
        role: ShiftRole = ShiftRole.HOST,
    ) -> UUID:
        """Publish a shift; its new id."""
        shift_id = context.new_id("shift")
        now = self._clock()
        publishing.check_times(starts_at, ends_at, now)  # refused before anything is indexed
        branch_known = await self._branches.is_known(context.tenant, branch_id)

        def decide(state: Shift) -> list[DomainEvent]:
            return publishing.publish(
                state,
                shift_id=shift_id,
                branch_id=branch_id,
                branch_known=branch_known,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=capacity,
                role=role,
                now=now,
            )

        indexed = IndexedShift(shift_id, branch_id, starts_at, ends_at)
        await self.create_shift(context, indexed, decide)
        return shift_id

    async def create_shift(
        self, context: CommandContext, indexed: IndexedShift, decide: Decide
    ) -> Outcome:
        """Index a new shift, then store its first events; a refusal leaves no index row."""
        await self._index.note_shift(context.tenant, indexed)
        try:
            return await self.execute(
                context, shift.stream(indexed.shift_id), NO_SHIFT, shift.evolve, decide
            )
        except DomainError:
            await self._index.forget_unstored_shift(indexed.shift_id)
            raise

    async def confirm_proposal(self, context: CommandContext, *, shift_id: UUID) -> Shift:
        """Staff publish a proposed shift as proposed."""
        now = self._clock()
        await self._on_shift(context, shift_id, lambda s: publishing.confirm(s, now=now))
        return await self.shift(shift_id, tenant=context.tenant)

    async def withdraw_proposal(
        self, context: CommandContext, *, shift_id: UUID, staff_id: str
    ) -> Shift:
        """Staff dismiss a proposed shift; it is shown as withdrawn (and is no shift after)."""
        await self._on_shift(
            context,
            shift_id,
            lambda s: publishing.withdraw(
                s, reason=WithdrawalReason.DISMISSED_BY_STAFF, staff_id=staff_id
            ),
        )
        loaded = await self.load(
            shift.stream(shift_id), NO_SHIFT, shift.evolve, tenant=context.tenant
        )
        return loaded.state

    async def cancel_shift(
        self, context: CommandContext, *, shift_id: UUID, staff_id: str
    ) -> Shift:
        """Staff cancel a published shift before it starts; everyone on it is told (by mail,
        from the event)."""
        now = self._clock()
        async with self._locks.holding([shift_key(shift_id)]):
            await self._on_shift(
                context, shift_id, lambda s: publishing.cancel(s, staff_id=staff_id, now=now)
            )
        return await self.shift(shift_id, tenant=context.tenant)

    async def shift(self, shift_id: UUID, *, tenant: str) -> Shift:
        """The tenant's shift as it stands; :class:`NotFound` if it has none of that id (or it
        was withdrawn)."""
        loaded = await self.load(shift.stream(shift_id), NO_SHIFT, shift.evolve, tenant=tenant)
        shift.existing(loaded.state)
        return loaded.state

    async def shifts_between(
        self,
        tenant: str,
        after: datetime,
        before: datetime,
        *,
        branch_id: str | None = None,
        limit: int = 500,
    ) -> list[Shift]:
        """The shifts (proposed, published or cancelled) that overlap ``[after, before)``."""
        found = await self._index.between(tenant, after, before, branch_id=branch_id, limit=limit)
        return await self.shifts_of_index(found, tenant=tenant)

    async def shifts_of_volunteer(
        self, volunteer_id: UUID, after: datetime, before: datetime, *, tenant: str
    ) -> list[Shift]:
        """The tenant's shifts overlapping ``[after, before)`` the volunteer holds a place on,
        waits for, was checked in on, served on or missed."""
        found = await self.shifts_of_index(
            await self._index.of_volunteer(volunteer_id, after, before), tenant=tenant
        )
        return [s for s in found if involves(s, volunteer_id)]

    async def shifts_of_index(self, found: list[IndexedShift], *, tenant: str) -> list[Shift]:
        """The tenant's shifts of index rows that exist (a row whose shift was never stored, or
        is another tenant's, is passed over), in the rows' order."""
        loaded = await self.load_many(
            [shift.stream(row.shift_id) for row in found], NO_SHIFT, shift.evolve, tenant=tenant
        )
        states = (loaded[shift.stream(row.shift_id)].state for row in found)
        return [s for s in states if s.stage not in (Stage.NONE, Stage.WITHDRAWN)]

    async def _on_shift(self, context: CommandContext, shift_id: UUID, decide: Decide) -> Outcome:
        return await self.execute(context, shift.stream(shift_id), NO_SHIFT, shift.evolve, decide)


def involves(state: Shift, volunteer_id: UUID) -> bool:
    """Whether the volunteer is, or was, on the shift in any way."""
    return (
        volunteer_id in state.volunteers
        or volunteer_id in state.waitlist
        or volunteer_id in state.no_shows
        or state.is_present(volunteer_id)
        or state.served_by(volunteer_id) is not None
    )


def system_context(tenant: str) -> CommandContext:
    """The context of a command the service gives itself (a rule, not a person)."""
    return CommandContext(tenant=tenant, correlation_id=uuid.uuid4(), principal="volunteers")


__all__ = [
    "Locks",
    "ShiftCases",
    "ShiftIndex",
    "involves",
    "shift_key",
    "system_context",
    "volunteer_key",
]
