"""Use cases of theme days for school librarians: staff plan, change, cancel and record them as
held; staff, school librarians and teachers list them. No HTTP here, and no SQL.

A tenant's theme days are one stream (``theme-days-<tenant>``): a few a year.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tvers_contracts import EventRegistry
from tvers_contracts.events.visits import SchoolParticipants
from tvers_runtime.application import CommandContext, Decide, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_runtime.known_branches import BranchDirectory
from tvers_visits.domain import theme_day
from tvers_visits.domain.oslo import oslo_today
from tvers_visits.domain.theme_day import NO_THEME_DAYS, Arrangement, ThemeDay, ThemeDays, When
from tvers_visits.known_schools import KnownSchools


class ThemeDayCases(UseCases):
    """Use cases of theme days."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        schools: KnownSchools,
        branches: BranchDirectory,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock)
        self._schools = schools
        self._branches = branches
        self._clock = clock

    def today(self) -> date:
        """Today on Oslo's wall clock."""
        return oslo_today(self._clock())

    async def plan(self, context: CommandContext, arrangement: Arrangement) -> ThemeDay:
        """Plan a theme day; it as planned (the same again for a repeat of the request)."""
        theme_day_id = context.new_id("theme-day")
        branch_known = await self._branch_known(context.tenant, arrangement)
        today = self.today()
        return await self._run(
            context,
            theme_day_id,
            lambda days: theme_day.plan(
                days,
                theme_day_id=theme_day_id,
                arrangement=arrangement,
                today=today,
                branch_known=branch_known,
            ),
        )

    async def change(
        self, context: CommandContext, theme_day_id: UUID, arrangement: Arrangement
    ) -> ThemeDay:
        """Change a planned theme day: every field as it should stand."""
        branch_known = await self._branch_known(context.tenant, arrangement)
        today = self.today()
        return await self._run(
            context,
            theme_day_id,
            lambda days: theme_day.change(
                days,
                theme_day_id=theme_day_id,
                arrangement=arrangement,
                today=today,
                branch_known=branch_known,
            ),
        )

    async def cancel(self, context: CommandContext, theme_day_id: UUID) -> ThemeDay:
        """Call a planned theme day off."""
        return await self._run(
            context, theme_day_id, lambda days: theme_day.cancel(days, theme_day_id=theme_day_id)
        )

    async def record_held(
        self, context: CommandContext, theme_day_id: UUID, participants: list[SchoolParticipants]
    ) -> ThemeDay:
        """Record a theme day as held, with how many came from each school."""
        register = await self._schools.schools(context.tenant)
        unknown = [p.school_id for p in participants if p.school_id not in register]
        today = self.today()
        return await self._run(
            context,
            theme_day_id,
            lambda days: theme_day.record_held(
                days,
                theme_day_id=theme_day_id,
                participants=participants,
                today=today,
                unknown_schools=unknown,
            ),
        )

    async def theme_days(self, tenant: str) -> ThemeDays:
        """The tenant's theme days."""
        stream = theme_day.stream(tenant)
        return (await self.load(stream, NO_THEME_DAYS, theme_day.evolve)).state

    async def theme_day(self, tenant: str, theme_day_id: UUID) -> ThemeDay:
        """One of the tenant's theme days; ``NotFound`` if it has none of that id."""
        found = (await self.theme_days(tenant)).days.get(theme_day_id)
        if found is None:
            raise NotFound(f"no theme day {theme_day_id}")
        return found

    async def listing(self, tenant: str, *, when: When | None) -> list[ThemeDay]:
        """The tenant's theme days: upcoming, past, or all (see :func:`theme_day.listed`)."""
        return theme_day.listed(await self.theme_days(tenant), when=when, today=self.today())

    async def _branch_known(self, tenant: str, arrangement: Arrangement) -> bool:
        branch_id = arrangement.branch_id
        return branch_id is None or await self._branches.is_known(tenant, branch_id)

    async def _run(
        self, context: CommandContext, theme_day_id: UUID, decide: Decide[ThemeDays]
    ) -> ThemeDay:
        stream = theme_day.stream(context.tenant)
        await self.execute(context, stream, NO_THEME_DAYS, theme_day.evolve, decide)
        return await self.theme_day(context.tenant, theme_day_id)
