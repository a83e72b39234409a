"""The visits service's use cases."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tvers_runtime.application import CommandContext, UseCases
from tvers_visits.domain import class_visit


class VisitsApplication(UseCases):
    """Use cases of class visits."""

    async def record_held_visit(
        self, context: CommandContext, held: class_visit.HeldVisit, *, today: date
    ) -> UUID:
        """Record a class visit that was held; its id."""
        visit_id = context.new_id("class-visit")
        await self.execute(
            context,
            class_visit.stream(visit_id),
            class_visit.NO_VISIT,
            class_visit.evolve,
            lambda state: class_visit.record_held(state, visit_id=visit_id, held=held, today=today),
        )
        return visit_id
