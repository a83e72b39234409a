"""Use cases of a school year's classes and class visits: the classes registered, visits booked,
moved, cancelled and held, the classes not yet visited, and the booking plan proposed and
confirmed. No HTTP here, and no SQL: the branches' hours are a port.

A teacher acts for one school: the commands and reads take ``only_school``, and a visit of
another school is to them as one that does not exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from tvers_contracts import EventRegistry
from tvers_contracts.events.visits import (
    CancelReason,
    ClassVisitBooked,
    Programme,
    SchoolClass,
)
from tvers_contracts.schedule import OSLO, Schedule
from tvers_runtime.application import CommandContext, Decide, Outcome, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound, RuleViolated
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_runtime.known_branches import BranchDirectory
from tvers_visits.application import VisitsApplication
from tvers_visits.domain import planning, school_year, visit_year
from tvers_visits.domain.school_year import SchoolYear
from tvers_visits.domain.visit_year import Booking, Branch, ClassRef, Counts, VisitYear


class HasSchedule(Protocol):
    """A branch's hours as learned from access."""

    def schedule(self) -> Schedule: ...


class BranchSchedules(Protocol):
    """This service's view of the branches' hours (``tvers_runtime.branch_schedules``)."""

    async def hours(self, tenant: str, branch_id: str, *, since: date) -> HasSchedule: ...

    async def all_hours(self, tenant: str, *, since: date) -> Mapping[str, HasSchedule]: ...


@dataclass(frozen=True)
class VisitAsked:
    """A booking as asked for: the class, where and when, how many, which programme."""

    pupils_of: ClassRef
    branch_id: str
    starts_at: datetime
    ends_at: datetime
    expected_pupils: int
    programme: Programme


@dataclass(frozen=True)
class HeldAfterwards:
    """A visit held without a booking here, reported afterwards."""

    pupils_of: ClassRef
    branch_id: str
    held_on: date
    programme: Programme
    counts: Counts


class ClassVisits(UseCases):
    """A school year's classes and visits."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        schools: VisitsApplication,
        branches: BranchDirectory,
        schedules: BranchSchedules,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
        rules: planning.PlanningRules = planning.RULES,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock)
        self._schools = schools
        self._branches = branches
        self._schedules = schedules
        self._clock = clock
        self._rules = rules

    def now(self) -> datetime:
        """The time the rules go by."""
        return self._clock()

    def current_year(self) -> SchoolYear:
        """The school year going on (in July, the one about to start)."""
        return school_year.current(self._clock().astimezone(OSLO).date())

    async def year(self, tenant: str, year: SchoolYear) -> VisitYear:
        """The tenant's classes and visits of a school year."""
        stream = visit_year.stream(tenant, year)
        loaded = await self.load(stream, visit_year.NO_YEAR, visit_year.evolve, remember=True)
        return loaded.state

    # --- classes ---

    async def set_classes(
        self,
        context: CommandContext,
        year: SchoolYear,
        school_id: str,
        classes: Sequence[SchoolClass],
    ) -> None:
        """Replace a registered school's classes of a school year."""
        register = await self._schools.schools(context.tenant)
        if school_id not in register:
            raise NotFound(f"no school {school_id!r} is registered")
        one = register.get(school_id)
        await self._on_year(
            context,
            year,
            lambda state: visit_year.set_classes(
                state, school=one, label=year.label, classes=classes
            ),
        )

    async def statuses(
        self, tenant: str, year: SchoolYear, school_id: str
    ) -> list[visit_year.ClassStatus]:
        """A school's classes of the year, each with its visits."""
        return visit_year.class_statuses(await self.year(tenant, year), school_id)

    async def not_yet_visited(self, tenant: str, year: SchoolYear) -> list[ClassRef]:
        """The 2nd- and 9th-grade classes with no visit booked or held yet."""
        return visit_year.not_yet_visited(await self.year(tenant, year))

    # --- one visit ---

    async def book(self, context: CommandContext, asked: VisitAsked) -> UUID:
        """Book a class's visit; its id."""
        year = school_year.of(asked.starts_at.astimezone(OSLO).date())
        register = await self._schools.schools(context.tenant)
        one = register.get(asked.pupils_of.school_id)
        branch = await self._branch(context.tenant, asked.branch_id, asked.starts_at)
        booking = Booking(
            visit_id=context.new_id("class-visit"),
            pupils_of=asked.pupils_of,
            branch_id=asked.branch_id,
            starts_at=asked.starts_at,
            ends_at=asked.ends_at,
            expected_pupils=asked.expected_pupils,
            programme=asked.programme,
        )
        outcome = await self._on_year(
            context,
            year,
            lambda state: visit_year.book(
                state, booking, school=one, branch=branch, now=self._clock()
            ),
        )
        return _visit_id(outcome.events, booking.visit_id)

    async def visit(
        self, tenant: str, year: SchoolYear, visit_id: UUID, *, only_school: str | None = None
    ) -> visit_year.Visit:
        """One visit of the year (for a teacher: of their school only)."""
        return _visible(await self.year(tenant, year), visit_id, only_school)

    async def visits(
        self,
        tenant: str,
        year: SchoolYear,
        *,
        school_id: str | None = None,
        branch_id: str | None = None,
    ) -> list[visit_year.Visit]:
        """The year's visits, in time order, of a school or at a branch if given."""
        state = await self.year(tenant, year)
        return sorted(
            (
                v
                for v in state.visits.values()
                if school_id in (None, v.pupils_of.school_id) and branch_id in (None, v.branch_id)
            ),
            key=lambda v: (v.starts_at, v.pupils_of.school_id, v.pupils_of.class_label),
        )

    async def reschedule(
        self,
        context: CommandContext,
        year: SchoolYear,
        visit_id: UUID,
        *,
        branch_id: str,
        starts_at: datetime,
        ends_at: datetime,
        only_school: str | None = None,
    ) -> None:
        """Move a booked visit."""
        await self.visit(context.tenant, year, visit_id, only_school=only_school)
        branch = await self._branch(context.tenant, branch_id, starts_at)
        await self._on_year(
            context,
            year,
            lambda state: visit_year.reschedule(
                state,
                visit_id,
                starts_at=starts_at,
                ends_at=ends_at,
                branch=branch,
                now=self._clock(),
            ),
        )

    async def cancel(
        self,
        context: CommandContext,
        year: SchoolYear,
        visit_id: UUID,
        reason: CancelReason,
        *,
        only_school: str | None = None,
    ) -> None:
        """Cancel a booked visit, with the reason."""
        await self.visit(context.tenant, year, visit_id, only_school=only_school)
        await self._on_year(
            context,
            year,
            lambda state: visit_year.cancel(state, visit_id, reason),
        )

    async def record_held(
        self,
        context: CommandContext,
        year: SchoolYear,
        visit_id: UUID,
        counts: Counts,
        *,
        only_school: str | None = None,
    ) -> None:
        """Record a booked visit as held."""
        await self.visit(context.tenant, year, visit_id, only_school=only_school)
        await self._on_year(
            context,
            year,
            lambda state: visit_year.record_held(state, visit_id, counts, now=self._clock()),
        )

    async def record_afterwards(self, context: CommandContext, held: HeldAfterwards) -> UUID:
        """Record a visit that was held without a booking; its id."""
        year = school_year.of(held.held_on)
        register = await self._schools.schools(context.tenant)
        register.get(held.pupils_of.school_id)
        branch_known = await self._branches.is_known(context.tenant, held.branch_id)
        unbooked = visit_year.Unbooked(
            visit_id=context.new_id("class-visit"),
            pupils_of=held.pupils_of,
            branch_id=held.branch_id,
            held_on=held.held_on,
            programme=held.programme,
            counts=held.counts,
        )
        outcome = await self._on_year(
            context,
            year,
            lambda state: visit_year.record_unbooked(
                state,
                unbooked,
                branch_known=branch_known,
                today=self._clock().astimezone(OSLO).date(),
            ),
        )
        return _visit_id(outcome.events, unbooked.visit_id)

    # --- planning ---

    async def free_slots(
        self,
        tenant: str,
        year: SchoolYear,
        branch_id: str,
        programme: Programme,
        *,
        first: date,
        last: date,
    ) -> list[planning.Slot]:
        """The free staffed slots at a branch for a visit of ``programme``."""
        first, last = max(first, year.first_day), min(last, year.last_day)
        hours = await self._schedules.hours(tenant, branch_id, since=first - timedelta(days=1))
        return planning.free_slots(
            await self.year(tenant, year),
            branch_id,
            hours.schedule(),
            length=self._rules.lengths[programme],
            first=first,
            last=last,
            after=self._clock(),
            rules=self._rules,
        )

    def visit_length(self, programme: Programme) -> timedelta:
        """How long a visit of ``programme`` is planned to last (its free slots' length)."""
        return self._rules.lengths[programme]

    async def propose(self, tenant: str, year: SchoolYear) -> planning.Plan:
        """A booking plan for the classes not yet visited, over the rest of the school year."""
        today = self._clock().astimezone(OSLO).date()
        first = max(today, year.first_day)
        hours = await self._schedules.all_hours(tenant, since=first - timedelta(days=1))
        register = await self._schools.schools(tenant)
        return planning.propose(
            await self.year(tenant, year),
            schools=register.schools,
            schedules={branch_id: h.schedule() for branch_id, h in hours.items()},
            first=first,
            last=year.last_day,
            now=self._clock(),
            rules=self._rules,
        )

    async def confirm(
        self, context: CommandContext, year: SchoolYear, chosen: Sequence[VisitAsked]
    ) -> list[UUID]:
        """Book the visits of a plan a person chose, all or none; their ids, in order."""
        plan_id = context.new_id("visit-plan")
        bookings = [
            Booking(
                visit_id=uuid.uuid5(plan_id, str(index)),
                pupils_of=asked.pupils_of,
                branch_id=asked.branch_id,
                starts_at=asked.starts_at,
                ends_at=asked.ends_at,
                expected_pupils=asked.expected_pupils,
                programme=asked.programme,
                plan_id=plan_id,
            )
            for index, asked in enumerate(chosen)
        ]
        register = await self._schools.schools(context.tenant)
        schools = {b.pupils_of.school_id: register.get(b.pupils_of.school_id) for b in bookings}
        branches: dict[str, Branch] = {}
        for booking in bookings:
            if booking.branch_id not in branches:
                branches[booking.branch_id] = await self._branch(
                    context.tenant, booking.branch_id, booking.starts_at, earliest=year.first_day
                )
        for booking in bookings:
            school_year_of_visit = school_year.of(booking.starts_at.astimezone(OSLO).date())
            if school_year_of_visit != year:
                raise RuleViolated(
                    f"{booking.pupils_of.school_id} {booking.pupils_of.class_label}: the visit "
                    f"lies in school year {school_year_of_visit.label}, not {year.label}"
                )
        outcome = await self._on_year(
            context,
            year,
            lambda state: visit_year.book_all(
                state, bookings, schools=schools, branches=branches, now=self._clock()
            ),
        )
        return [e.visit_id for e in outcome.events if isinstance(e, ClassVisitBooked)]

    async def _on_year(
        self, context: CommandContext, year: SchoolYear, decide: Decide[VisitYear]
    ) -> Outcome:
        """Decide on the tenant's school year and append what was decided."""
        stream = visit_year.stream(context.tenant, year)
        return await self.execute(context, stream, visit_year.NO_YEAR, visit_year.evolve, decide)

    async def _branch(
        self, tenant: str, branch_id: str, starts_at: datetime, *, earliest: date | None = None
    ) -> Branch:
        day = starts_at.astimezone(OSLO).date() if earliest is None else earliest
        hours = await self._schedules.hours(tenant, branch_id, since=day - timedelta(days=1))
        room = (await self._schools.rooms(tenant)).holds(branch_id)
        return Branch(
            branch_id=branch_id,
            known=await self._branches.is_known(tenant, branch_id),
            schedule=hours.schedule(),
            room=room,
        )


def _visible(state: VisitYear, visit_id: UUID, only_school: str | None) -> visit_year.Visit:
    found = state.visit(visit_id)
    if only_school is not None and found.pupils_of.school_id != only_school:
        raise NotFound(f"no class visit {visit_id} of your school in this school year")
    return found


def _visit_id(events: Sequence[object], made: UUID) -> UUID:
    """The id of the visit a command stored (a repeat's first outcome may hold another)."""
    first = next(iter(events), None)
    found = getattr(first, "visit_id", None)
    return found if isinstance(found, UUID) else made
