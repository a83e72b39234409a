"""The visits service's use cases."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tvers_contracts import EventRegistry
from tvers_runtime.application import CommandContext, UseCases
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_runtime.known_branches import BranchDirectory
from tvers_visits.domain import class_visit, school


class VisitsApplication(UseCases):
    """Use cases of class visits and the schools they come from."""

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

    async def schools(self, tenant: str) -> school.SchoolRegister:
        """The tenant's register of schools."""
        return (await self.load(school.stream(tenant), school.NO_SCHOOLS, school.evolve)).state

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

    async def record_held_visit(
        self, context: CommandContext, held: class_visit.HeldVisit, *, today: date
    ) -> UUID:
        """Record a class visit that was held; its id."""
        visit_id = context.new_id("class-visit")
        school_known = held.school_id in await self.schools(context.tenant)
        branch_known = await self._branches.is_known(context.tenant, held.branch_id)
        await self.execute(
            context,
            class_visit.stream(visit_id),
            class_visit.NO_VISIT,
            class_visit.evolve,
            lambda state: class_visit.record_held(
                state,
                visit_id=visit_id,
                held=held,
                today=today,
                school_known=school_known,
                branch_known=branch_known,
            ),
        )
        return visit_id
