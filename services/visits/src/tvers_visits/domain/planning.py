"""Planning a school year's class visits: the free staffed slots of a branch, and a proposed plan
that spreads the classes not yet visited over the branches' free slots, nearest branch first,
with no overlaps. Pure, no I/O; a person confirms the plan, in whole or in part.

How (decision 0031):

- A **slot** is a span of a class visit's length (by programme, :class:`PlanningRules`) that
  starts on a half-hour step, on a school day (Monday to Friday), in the school day's hours
  (08:30-14:30), in the branch's staffed hours throughout, and overlaps no active visit there.
- The **plan** takes the classes branch by branch. The classes whose nearest branch is ``b``
  are spread evenly over ``b``'s slots in the window (the i-th of n aims at the slot i/n of the
  way through, then the first free one after it, then any free one). A class that finds none
  there tries its school's other branches by travel time. A class is left out only when no
  branch it can reach has a free slot: the plan covers every class for which there is room.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from tvers_contracts.events.visits import Programme
from tvers_contracts.schedule import OSLO, Schedule
from tvers_contracts.values import OpeningKind
from tvers_contracts.wallclock import wall_instant
from tvers_visits.domain.school import School
from tvers_visits.domain.visit_year import ClassRef, VisitYear, not_yet_visited

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PlanningRules:
    """When a class visit can be, as the schools keep their days."""

    school_day_starts: time = time(8, 30)
    school_day_ends: time = time(14, 30)
    step: timedelta = timedelta(minutes=30)
    lengths: Mapping[Programme, timedelta] = field(
        default_factory=lambda: {
            Programme.SECOND_GRADE: timedelta(hours=2),
            Programme.NINTH_GRADE: timedelta(minutes=90),
            Programme.OTHER: timedelta(hours=1),
        }
    )


RULES = PlanningRules()


@dataclass(frozen=True, order=True)
class Slot:
    """A free span at a branch."""

    starts_at: datetime
    ends_at: datetime
    branch_id: str

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Whether it takes any of ``[starts_at, ends_at)``."""
        return self.starts_at < ends_at and starts_at < self.ends_at

    @property
    def day(self) -> date:
        """Its local date."""
        return self.starts_at.astimezone(OSLO).date()


def programme_of(grade: int) -> Programme:
    """The programme a class of ``grade`` is planned for."""
    return {2: Programme.SECOND_GRADE, 9: Programme.NINTH_GRADE}.get(grade, Programme.OTHER)


def school_hours(
    schedule: Schedule, first: date, last: date, rules: PlanningRules = RULES
) -> list[tuple[datetime, datetime]]:
    """The spans from ``first`` to ``last`` that are both staffed and in a school day, in
    order."""
    spans: list[tuple[datetime, datetime]] = []
    for day in (first + n * _DAY for n in range((last - first).days + 1)):
        if day.isoweekday() > 5:
            continue
        opens = wall_instant(day, rules.school_day_starts, OSLO)
        closes = wall_instant(day, rules.school_day_ends, OSLO)
        for period in schedule.day_occurrences(day):
            if period.kind is OpeningKind.STAFFED:
                starts, ends = max(period.starts, opens), min(period.ends, closes)
                if starts < ends:
                    spans.append((starts, ends))
    return _joined(spans)


def _joined(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    joined: list[tuple[datetime, datetime]] = []
    for starts, ends in sorted(spans):
        if joined and starts <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], ends))
        else:
            joined.append((starts, ends))
    return joined


def free_slots(
    year: VisitYear,
    branch_id: str,
    schedule: Schedule,
    *,
    length: timedelta,
    first: date,
    last: date,
    after: datetime,
    rules: PlanningRules = RULES,
) -> list[Slot]:
    """The slots of ``length`` at a branch from ``first`` to ``last`` that start after ``after``
    and overlap no active visit there, on the rules' steps. Slots may overlap each other."""
    taken = [(v.starts_at, v.ends_at) for v in year.at_branch(branch_id)]
    found: list[Slot] = []
    for opens, closes in school_hours(schedule, first, last, rules):
        starts = opens
        while starts + length <= closes:
            ends = starts + length
            if starts > after and not any(s < ends and starts < e for s, e in taken):
                found.append(Slot(starts, ends, branch_id))
            starts += rules.step
    return found


@dataclass(frozen=True)
class PlannedVisit:
    """A class and the slot proposed for it."""

    pupils_of: ClassRef
    slot: Slot
    programme: Programme
    expected_pupils: int


@dataclass(frozen=True)
class Plan:
    """The proposal: the visits, and the classes with no room at any branch they can reach."""

    visits: tuple[PlannedVisit, ...]
    no_room: tuple[ClassRef, ...]


def propose(
    year: VisitYear,
    *,
    schools: Mapping[str, School],
    schedules: Mapping[str, Schedule],
    first: date,
    last: date,
    now: datetime,
    rules: PlanningRules = RULES,
) -> Plan:
    """A plan for the classes not yet visited, from ``first`` to ``last``: spread over the
    branches' free staffed slots, nearest branch first, no two visits overlapping at a branch.
    ``schedules`` are the branches' hours by id (a branch without one has no slots)."""
    waiting = [ref for ref in not_yet_visited(year) if ref.school_id in schools]
    slots: dict[tuple[str, timedelta], list[Slot]] = {}
    taken: dict[str, list[Slot]] = {}

    def slots_of(branch_id: str, length: timedelta) -> list[Slot]:
        key = (branch_id, length)
        if key not in slots:
            schedule = schedules.get(branch_id)
            slots[key] = (
                []
                if schedule is None
                else free_slots(
                    year,
                    branch_id,
                    schedule,
                    length=length,
                    first=first,
                    last=last,
                    after=now,
                    rules=rules,
                )
            )
        return slots[key]

    def take(branch_id: str, length: timedelta, aim: float) -> Slot | None:
        options = slots_of(branch_id, length)
        if not options:
            return None
        start = min(int(aim * len(options)), len(options) - 1)
        mine = taken.setdefault(branch_id, [])
        for slot in (*options[start:], *options[:start]):
            if not any(slot.overlaps(t.starts_at, t.ends_at) for t in mine):
                mine.append(slot)
                return slot
        return None

    by_nearest: dict[str, list[ClassRef]] = {}
    for ref in waiting:
        by_nearest.setdefault(schools[ref.school_id].nearest_branch_id, []).append(ref)
    planned: list[PlannedVisit] = []
    farther: list[ClassRef] = []

    def plan(ref: ClassRef, slot: Slot) -> None:
        pupils = year.find_class(ref).pupils
        planned.append(PlannedVisit(ref, slot, programme_of(ref.grade), pupils))

    # Each branch's own classes first, spread over its year...
    for branch_id in sorted(by_nearest):
        group = by_nearest[branch_id]
        for index, ref in enumerate(group):
            slot = take(branch_id, rules.lengths[programme_of(ref.grade)], index / len(group))
            if slot is None:
                farther.append(ref)
            else:
                plan(ref, slot)
    # ...then the classes with no room there, at their schools' other branches.
    no_room: list[ClassRef] = []
    for ref in farther:
        length = rules.lengths[programme_of(ref.grade)]
        others = schools[ref.school_id].branches_by_nearness()[1:]
        slot = next((s for b in others if (s := take(b, length, 0.0)) is not None), None)
        if slot is None:
            no_room.append(ref)
        else:
            plan(ref, slot)
    planned.sort(key=lambda p: (p.slot.starts_at, p.slot.branch_id))
    return Plan(tuple(planned), tuple(no_room))
