"""Use cases of book deposits: a school (its librarian or a teacher, or staff for it) orders
one; staff prepare, deliver and collect it, and move its due date; either side cancels it before
delivery. Staff list them all, and the overdue ones; a school lists its own. No HTTP here, and
no SQL: who may see which school's deposits is the routes' concern.

Each deposit is its own stream with a random id, so a stream belongs to the tenant of its first
event (``one_tenant_per_stream``): another municipality's deposit is not found. The lists are
read from the ``DepositOrdered`` events (``adapters.ordered_deposits``), each deposit rebuilt
from its stream (decision 0034).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol
from uuid import UUID

from tvers_contracts import EventRegistry
from tvers_contracts.events.visits import CancelledBy, OrdererRole
from tvers_runtime.application import CommandContext, Decide, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_visits.domain import deposit
from tvers_visits.domain.deposit import NO_DEPOSIT, Deposit, Order, Status
from tvers_visits.domain.oslo import oslo_today
from tvers_visits.known_schools import KnownSchools


class DepositIndex(Protocol):
    """Which deposits a tenant has ordered (``adapters.ordered_deposits``)."""

    async def ordered(self, tenant: str, *, school_id: str | None = None) -> list[UUID]: ...


class Deposits(UseCases):
    """Use cases of book deposits."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        schools: KnownSchools,
        index: DepositIndex,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock, one_tenant_per_stream=True)
        self._schools = schools
        self._index = index
        self._clock = clock

    def today(self) -> date:
        """Today on Oslo's wall clock."""
        return oslo_today(self._clock())

    async def order(
        self, context: CommandContext, *, wanted: Order, ordered_by: OrdererRole
    ) -> Deposit:
        """Order a deposit for a registered school; the deposit as ordered (the same again for
        a repeat of the request)."""
        deposit_id = context.new_id("deposit")
        school = (await self._schools.schools(context.tenant)).schools.get(wanted.school_id)
        today = self.today()
        return await self._run(
            context,
            deposit_id,
            lambda state: deposit.order(
                state,
                deposit_id=deposit_id,
                wanted=wanted,
                ordered_by=ordered_by,
                today=today,
                school=school,
            ),
        )

    async def prepare(
        self, context: CommandContext, deposit_id: UUID, *, books: int | None
    ) -> Deposit:
        """The library has put the books together."""
        return await self._run(
            context, deposit_id, lambda state: deposit.prepare(state, books=books)
        )

    async def deliver(
        self,
        context: CommandContext,
        deposit_id: UUID,
        *,
        delivered_on: date | None,
        due_on: date | None,
    ) -> Deposit:
        """The books reached the school (today, unless staff say when); due back on ``due_on``
        or, by default, eight weeks later."""
        today = self.today()
        return await self._run(
            context,
            deposit_id,
            lambda state: deposit.deliver(
                state, delivered_on=delivered_on or today, due_on=due_on, today=today
            ),
        )

    async def set_due_date(
        self, context: CommandContext, deposit_id: UUID, *, due_on: date
    ) -> Deposit:
        """Move a delivered deposit's due date."""
        return await self._run(
            context, deposit_id, lambda state: deposit.set_due_date(state, due_on=due_on)
        )

    async def return_(
        self, context: CommandContext, deposit_id: UUID, *, returned_on: date | None
    ) -> Deposit:
        """The books came back (today, unless staff say when)."""
        today = self.today()
        return await self._run(
            context,
            deposit_id,
            lambda state: deposit.return_(state, returned_on=returned_on or today, today=today),
        )

    async def cancel(
        self, context: CommandContext, deposit_id: UUID, *, by: CancelledBy
    ) -> Deposit:
        """Call a deposit off before delivery."""
        return await self._run(context, deposit_id, lambda state: deposit.cancel(state, by=by))

    async def deposit(self, tenant: str, deposit_id: UUID) -> Deposit:
        """The tenant's deposit; ``NotFound`` if it has none of that id."""
        loaded = await self.load(
            deposit.stream(deposit_id), NO_DEPOSIT, deposit.evolve, tenant=tenant
        )
        if loaded.state.deposit_id is None:
            raise NotFound(f"no deposit {deposit_id}")
        return loaded.state

    async def listing(
        self, tenant: str, *, school_id: str | None = None, status: Status | None = None
    ) -> list[Deposit]:
        """The tenant's deposits (of one school, in one status, if asked), in the order they
        were ordered."""
        ids = await self._index.ordered(tenant, school_id=school_id)
        loaded = await self.load_many(
            [deposit.stream(i) for i in ids], NO_DEPOSIT, deposit.evolve, tenant=tenant
        )
        found = [loaded[deposit.stream(i)].state for i in ids]
        return [
            state
            for state in found
            if state.deposit_id is not None and (status is None or state.status is status)
        ]

    async def overdue(self, tenant: str) -> list[Deposit]:
        """The tenant's overdue deposits today (Oslo), the longest overdue first (then in the
        order they were ordered)."""
        today = self.today()
        delivered = await self.listing(tenant, status=Status.DELIVERED)
        return sorted(
            (state for state in delivered if state.overdue_on(today)),
            key=lambda state: -state.days_overdue(today),
        )

    async def _run(
        self, context: CommandContext, deposit_id: UUID, decide: Decide[Deposit]
    ) -> Deposit:
        await self.execute(context, deposit.stream(deposit_id), NO_DEPOSIT, deposit.evolve, decide)
        return await self.deposit(context.tenant, deposit_id)
