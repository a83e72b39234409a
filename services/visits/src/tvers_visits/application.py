"""Use cases of the register of schools (with their routes) and of the branches' rooms for class
visits. No HTTP here, and no SQL."""

from __future__ import annotations

from collections.abc import Sequence

from tvers_contracts import EventRegistry
from tvers_contracts.events.visits import Route
from tvers_runtime.application import CommandContext, UseCases
from tvers_runtime.clock import Clock
from tvers_runtime.domain import NotFound
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_runtime.known_branches import BranchDirectory
from tvers_visits.domain import rooms, school


class VisitsApplication(UseCases):
    """Use cases of the schools the public library works with, and of its rooms for visits."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        branches: BranchDirectory,
        keys: IdempotencyKeys | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock)
        self._branches = branches

    async def schools(self, tenant: str) -> school.SchoolRegister:
        """The tenant's register of schools."""
        loaded = await self.load(school.stream(tenant), school.NO_SCHOOLS, school.evolve)
        return loaded.state

    async def register_school(self, context: CommandContext, new: school.School) -> None:
        """Add a school to the register."""
        branch_known = await self._branches.is_known(context.tenant, new.nearest_branch_id)
        await self.execute(
            context,
            school.stream(context.tenant),
            school.NO_SCHOOLS,
            school.evolve,
            lambda register: school.register_school(register, new, branch_known=branch_known),
        )

    async def set_routes(
        self, context: CommandContext, school_id: str, routes: Sequence[Route]
    ) -> None:
        """Replace the ways from a school to the branches its classes can reach."""
        unknown = [
            route.branch_id
            for route in routes
            if not await self._branches.is_known(context.tenant, route.branch_id)
        ]
        await self.execute(
            context,
            school.stream(context.tenant),
            school.NO_SCHOOLS,
            school.evolve,
            lambda register: school.set_routes(
                register, school_id, routes, unknown_branches=unknown
            ),
        )

    async def rooms(self, tenant: str) -> rooms.VisitRooms:
        """How many pupils each branch's room holds."""
        return (await self.load(rooms.stream(tenant), rooms.NO_ROOMS, rooms.evolve)).state

    async def room(self, tenant: str, branch_id: str) -> int | None:
        """How many pupils a known branch's room holds (None: one visit at a time);
        :class:`NotFound` for a branch not known here."""
        if not await self._branches.is_known(tenant, branch_id):
            raise NotFound(f"no branch {branch_id!r} is known here")
        return (await self.rooms(tenant)).holds(branch_id)

    async def set_room(self, context: CommandContext, branch_id: str, pupils: int) -> None:
        """Say how many pupils a known branch's room holds."""
        if not await self._branches.is_known(context.tenant, branch_id):
            raise school.unknown_branch(branch_id)
        await self.execute(
            context,
            rooms.stream(context.tenant),
            rooms.NO_ROOMS,
            rooms.evolve,
            lambda known: rooms.set_room(known, branch_id, pupils),
        )
