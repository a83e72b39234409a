"""Use cases of a volunteer's standing, by staff: police certificate shown, introduction
completed, deactivated and reactivated. A deactivated (or erased) volunteer's future places are
given up by :mod:`.entrypoints.subscribers`, from the event."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tvers_contracts.schedule import OSLO
from tvers_runtime.application import CommandContext
from tvers_runtime.domain import NotFound
from tvers_volunteers.domain import volunteer
from tvers_volunteers.domain.volunteer import NO_VOLUNTEER, Volunteer
from tvers_volunteers.place_cases import PlaceCases


class StandingCases(PlaceCases):
    """What staff record about a volunteer."""

    async def show_police_certificate(
        self, context: CommandContext, *, volunteer_id: UUID, shown_on: date, staff_id: str
    ) -> Volunteer:
        """Staff saw the police certificate (the document is not kept)."""
        today = self._today()
        return await self._on_volunteer(
            context,
            volunteer_id,
            lambda v: volunteer.show_police_certificate(
                v, shown_on=shown_on, staff_id=staff_id, today=today
            ),
        )

    async def complete_introduction(
        self, context: CommandContext, *, volunteer_id: UUID, completed_on: date, staff_id: str
    ) -> Volunteer:
        """The volunteer completed the introduction."""
        today = self._today()
        return await self._on_volunteer(
            context,
            volunteer_id,
            lambda v: volunteer.complete_introduction(
                v, completed_on=completed_on, staff_id=staff_id, today=today
            ),
        )

    async def deactivate(
        self, context: CommandContext, *, volunteer_id: UUID, staff_id: str
    ) -> Volunteer:
        """Deactivate a volunteer; their future places are given up shortly after."""
        return await self._on_volunteer(
            context, volunteer_id, lambda v: volunteer.deactivate(v, staff_id=staff_id)
        )

    async def reactivate(
        self, context: CommandContext, *, volunteer_id: UUID, staff_id: str
    ) -> Volunteer:
        """Reactivate a deactivated volunteer."""
        return await self._on_volunteer(
            context, volunteer_id, lambda v: volunteer.reactivate(v, staff_id=staff_id)
        )

    async def registered_volunteer(self, volunteer_id: UUID, *, tenant: str) -> Volunteer:
        """The tenant's volunteer (erased ones too: their hours still count); :class:`NotFound`
        if the tenant never registered one of that id."""
        state = await self.volunteer_standing(volunteer_id, tenant=tenant)
        if state.volunteer_id is None:
            raise NotFound(f"no volunteer {volunteer_id}")
        return state

    async def _on_volunteer(
        self, context: CommandContext, volunteer_id: UUID, decide: volunteer.Decide
    ) -> Volunteer:
        await self.execute(
            context, volunteer.stream(volunteer_id), NO_VOLUNTEER, volunteer.evolve, decide
        )
        return await self.registered_volunteer(volunteer_id, tenant=context.tenant)

    def _today(self) -> date:
        return self._clock().astimezone(OSLO).date()
