"""The demo's class visits over a school year (pure): each 2nd- and 9th-grade class gets its day
at its nearest branch, spread evenly over the year's school days, at the start of the branch's
staffed hours within the school day; then, by the day the history runs up to:

- a class whose day is gone was mostly booked (by its teacher, two to six weeks ahead) and
  recorded as held by staff (pupils, library cards, consent forms); a few were moved to a later
  day first, a few cancelled (with a reason) and a few never booked;
- a class whose day is to come is booked ahead, now, by its teacher (most of those in the coming
  six weeks, a few later), or not yet booked: those and the ones that missed their day are the
  classes not yet visited, which the service's proposed plan takes.

Every request is a function of the school year (its times) and of the history's day (which
classes had their day), so a later fill on the same data folder sends the same ones again."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from tvers_cli.demo.places import BRANCHES, ZONE, Branch
from tvers_cli.demo.plans import Call, Caller
from tvers_cli.demo.school_data import DemoSchool, SchoolClass, schools
from tvers_contracts.events.visits import CancelReason, Programme
from tvers_contracts.schedule import Schedule
from tvers_contracts.values import OpeningKind
from tvers_runtime.auth import Role
from tvers_visits.domain.planning import RULES
from tvers_visits.domain.school_year import SchoolYear

#: How far ahead most classes of the coming weeks are booked already.
SOON = timedelta(weeks=6)
PROGRAMME_OF_GRADE = {2: Programme.SECOND_GRADE, 9: Programme.NINTH_GRADE}
_REASONS = (CancelReason.WEATHER_OR_TRAVEL, CancelReason.ILLNESS, CancelReason.SCHOOL_CANCELLED)


@dataclass(frozen=True)
class Slot:
    branch_id: str
    starts_at: datetime
    ends_at: datetime

    @property
    def day(self) -> date:
        return self.starts_at.astimezone(ZONE).date()


@dataclass(frozen=True)
class ClassPlan:
    """A class's visit of the year: its day, and what became of it by the history's day
    (``held``, ``moved`` and then held, ``cancelled``, ``missed``; ahead: ``booked`` or
    ``not_booked``)."""

    school: DemoSchool
    school_class: SchoolClass
    slot: Slot
    fate: str
    moved_to: Slot | None = None

    @property
    def name(self) -> str:
        return f"visit {self.school.school_id} {self.school_class.label}"

    @property
    def held(self) -> bool:
        return self.fate in ("held", "moved")

    @property
    def visited_on(self) -> date:
        """The day of its visit (moved, if it was)."""
        return (self.moved_to or self.slot).day


def school_days(year: SchoolYear) -> list[date]:
    """The school days of the year: weekdays from 19 August to 19 June, without the autumn,
    Christmas and winter holidays, 1 and 17 May."""
    first, last = date(year.starts_in, 8, 19), date(year.starts_in + 1, 6, 19)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5 and not _holiday(d)]


def _holiday(day: date) -> bool:
    week = day.isocalendar().week
    christmas = (day.month, day.day) >= (12, 21) or (day.month, day.day) <= (1, 2)
    return week in (9, 40) or christmas or (day.month, day.day) in ((5, 1), (5, 17))


@cache
def _schedule(branch: Branch) -> Schedule:
    return branch.schedule()


def visit_slot(branch: Branch, day: date, grade: int) -> Slot | None:
    """The first time a visit of the grade's programme fits at the branch on ``day``: from the
    start of its staffed hours within the school day, on a half hour."""
    length = RULES.lengths[PROGRAMME_OF_GRADE[grade]]
    school_opens = datetime.combine(day, RULES.school_day_starts, ZONE)
    school_closes = datetime.combine(day, RULES.school_day_ends, ZONE)
    for period in _schedule(branch).day_occurrences(day):
        if period.kind is not OpeningKind.STAFFED:
            continue
        opens = max(period.starts, school_opens).astimezone(ZONE)
        starts = datetime.combine(day, time(opens.hour, 30 if opens.minute > 0 else 0), ZONE)
        if opens.minute > 30:
            starts += timedelta(minutes=30)
        if starts + length <= min(period.ends, school_closes):
            return Slot(branch.branch_id, starts, starts + length)
    return None


def class_plans(year: SchoolYear, day: date) -> list[ClassPlan]:
    """Every visiting class of the year with its day, and its fate by ``day``."""
    days = school_days(year)
    plans = []
    for branch in BRANCHES:
        mine = [
            (school, school_class)
            for school in schools()
            if school.nearest_branch_id == branch.branch_id
            for school_class in school.classes
        ]
        rng = random.Random(f"demo-visits-{year.label}-{branch.branch_id}")  # noqa: S311
        rng.shuffle(mine)
        usable = [d for d in days if visit_slot(branch, d, 2) is not None]
        taken: set[date] = set()
        targets = []
        for i, (school, school_class) in enumerate(mine):
            # The i-th of n takes a day in its own i/n-th of the year.
            lo, hi = i * len(usable) // len(mine), (i + 1) * len(usable) // len(mine)
            target = usable[rng.randrange(lo, max(hi, lo + 1))]
            taken.add(target)
            targets.append((school, school_class, target))
        free = [d for d in usable if d not in taken]
        for school, school_class, target in targets:
            slot = visit_slot(branch, target, school_class.grade)
            assert slot is not None
            plans.append(_fate(year, day, school, school_class, slot, branch, free))
    return plans


def _fate(
    year: SchoolYear,
    day: date,
    school: DemoSchool,
    school_class: SchoolClass,
    slot: Slot,
    branch: Branch,
    free: list[date],
) -> ClassPlan:
    rng = random.Random(f"demo-visit-{year.label}-{school.school_id}-{school_class.label}")  # noqa: S311
    chance = rng.random()
    if slot.day >= day:
        soon = slot.day - day <= SOON
        booked = chance < (0.7 if soon else 0.2)
        return ClassPlan(school, school_class, slot, "booked" if booked else "not_booked")
    if chance < 0.07:
        return ClassPlan(school, school_class, slot, "missed")
    if chance < 0.12:
        return ClassPlan(school, school_class, slot, "cancelled")
    later = next((d for d in free if slot.day + timedelta(days=7) <= d < day), None)
    if chance < 0.2 and later is not None:
        free.remove(later)
        moved = visit_slot(branch, later, school_class.grade)
        return ClassPlan(school, school_class, slot, "moved", moved)
    return ClassPlan(school, school_class, slot, "held")


def booking(plan: ClassPlan, year: SchoolYear, *, at: datetime | None = None) -> Call:
    """The teacher books the class's visit (now, or at ``at`` on the simulated clock)."""
    school, school_class, slot = plan.school, plan.school_class, plan.slot
    rng = random.Random(f"demo-booking-{year.label}-{school.school_id}-{school_class.label}")  # noqa: S311
    return Call(
        key=f"demo-visit-{year.label}-{school.school_id}-{school_class.label}-book",
        method="POST",
        path="/class-visits",
        body={
            "school_id": school.school_id,
            "grade": school_class.grade,
            "class_label": school_class.label,
            "branch_id": slot.branch_id,
            "starts_at": slot.starts_at.isoformat(),
            "ends_at": slot.ends_at.isoformat(),
            "expected_pupils": school_class.pupils - rng.choice((0, 0, 0, 1, 2)),
            "programme": PROGRAMME_OF_GRADE[school_class.grade].value,
        },
        caller=Caller(Role.TEACHER, school.school_id),
        at=at,
        makes=plan.name,
        id_field="visit_id",
    )


def past_calls(plans: list[ClassPlan], year: SchoolYear, since: datetime, day: date) -> list[Call]:
    """What was done about the visits of the days gone by, in time order: each booked between
    two and six weeks ahead (not before ``since``), moved or cancelled a few days ahead, and
    recorded as held after it, before ``day``."""
    calls = []
    for plan in plans:
        if plan.fate not in ("held", "moved", "cancelled"):
            continue
        rng = random.Random(f"demo-{day}-{plan.name}")  # noqa: S311
        slot, key = plan.slot, f"demo-{day}-{plan.name.replace(' ', '-')}"
        booked_at = max(since + timedelta(hours=3), _office(slot.day - _days(rng, 14, 42), rng))
        if booked_at.month == 7:  # the summer holiday: booked before it
            booked_at = booked_at.replace(month=6, day=19)
        calls.append(booking(plan, year, at=booked_at))
        path = f"/school-years/{year.label}/class-visits/{{id}}"
        teacher = Caller(Role.TEACHER, plan.school.school_id)
        before = max(booked_at + timedelta(hours=1), _office(slot.day - _days(rng, 2, 6), rng))
        if plan.fate == "cancelled":
            reason = rng.choice(_REASONS).value
            calls.append(
                Call(
                    f"{key}-cancel",
                    "POST",
                    f"{path}/cancel",
                    {"reason": reason},
                    teacher,
                    before,
                    of=plan.name,
                )
            )
            continue
        if plan.moved_to is not None:
            moved = {
                "branch_id": plan.moved_to.branch_id,
                "starts_at": plan.moved_to.starts_at.isoformat(),
                "ends_at": plan.moved_to.ends_at.isoformat(),
            }
            calls.append(
                Call(
                    f"{key}-move",
                    "POST",
                    f"{path}/reschedule",
                    moved,
                    teacher,
                    before,
                    of=plan.name,
                )
            )
            slot = plan.moved_to
        # Staff record it that afternoon, or in office hours of a day or two after.
        held_at = slot.ends_at + timedelta(minutes=rng.randint(20, 90))
        later = _office(slot.day + _days(rng, 1, 2), rng)
        if rng.random() < 0.4 and slot.day < later.date() and later < midnight(day):
            held_at = later
        body = held_counts(rng, plan.school_class)
        calls.append(Call(f"{key}-held", "POST", f"{path}/held", body, at=held_at, of=plan.name))
    return sorted(calls, key=lambda call: call.at or since)


def held_counts(rng: random.Random, school_class: SchoolClass) -> dict[str, int]:
    """Pupils present, library cards and consent forms: at 2nd grade most get a card (a card
    needs a form), at 9th grade most have one already."""
    present = school_class.pupils - rng.choice((0, 0, 1, 1, 2, 3))
    if school_class.grade == 2:
        forms = max(0, present - rng.choice((0, 1, 1, 2, 3)))
        cards = max(0, forms - rng.choice((0, 0, 0, 1)))
    else:
        forms = rng.randint(0, 4)
        cards = max(0, forms - rng.choice((0, 1)))
    return {
        "pupils_present": present,
        "library_cards_handed_out": min(cards, present),
        "consent_forms_collected": forms,
    }


def midnight(day: date) -> datetime:
    """The start of ``day`` in Oslo."""
    return datetime.combine(day, time(), ZONE)


def _days(rng: random.Random, least: int, most: int) -> timedelta:
    return timedelta(days=rng.randint(least, most))


def _office(day: date, rng: random.Random) -> datetime:
    """A moment of office hours on ``day``, or on the Friday before if it is a weekend."""
    day -= timedelta(days=max(0, day.weekday() - 4))
    return datetime.combine(day, time(rng.randint(8, 14), rng.randrange(60)), ZONE)
