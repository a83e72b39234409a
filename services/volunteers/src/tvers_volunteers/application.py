"""The volunteers service's use cases."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tvers_contracts import EventRegistry
from tvers_contracts.events.volunteers import ShiftRole
from tvers_runtime.application import CommandContext, UseCases
from tvers_runtime.domain import NotFound
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_runtime.known_branches import BranchDirectory
from tvers_volunteers.domain import claims, publishing, shift


class VolunteersApplication(UseCases):
    """Use cases of hosting shifts."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        branches: BranchDirectory,
        keys: IdempotencyKeys | None = None,
    ) -> None:
        super().__init__(store, registry, keys=keys)
        self._branches = branches

    async def publish_shift(
        self,
        context: CommandContext,
        *,
        branch_id: str,
        starts_at: datetime,
        ends_at: datetime,
        capacity: int,
        now: datetime,
    ) -> UUID:
        """Publish a shift; its new id."""
        shift_id = context.new_id("shift")
        branch_known = await self._branches.is_known(context.tenant, branch_id)
        await self.execute(
            context,
            shift.stream(shift_id),
            shift.NO_SHIFT,
            shift.evolve,
            lambda state: publishing.publish(
                state,
                shift_id=shift_id,
                branch_id=branch_id,
                branch_known=branch_known,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=capacity,
                role=ShiftRole.HOST,
                now=now,
            ),
        )
        return shift_id

    async def claim_shift(
        self, context: CommandContext, *, shift_id: UUID, volunteer_id: UUID, now: datetime
    ) -> shift.Shift:
        """A volunteer claims a place; the shift afterwards."""
        await self.execute(
            context,
            shift.stream(shift_id),
            shift.NO_SHIFT,
            shift.evolve,
            # Only the capacity rules until the next step loads the volunteer and their
            # commitments here and calls claims.claim (eligibility and overlaps, issue 8).
            lambda state: claims.take_place(state, volunteer_id=volunteer_id, now=now),
        )
        return await self.shift(shift_id)

    async def shift(self, shift_id: UUID) -> shift.Shift:
        """A shift as it stands."""
        loaded = await self.load(shift.stream(shift_id), shift.NO_SHIFT, shift.evolve)
        if loaded.state.shift_id is None:
            raise NotFound(f"no shift {shift_id}")
        return loaded.state
