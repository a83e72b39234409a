"""A school year's classes and class visits, on one stream per tenant and year
(``school-year-<tenant>-<year>``). Pure, no I/O.

One stream holds what the rules compare: a class's visits (one 2nd- or 9th-grade programme visit
per class and year, a class in one place at a time) and the visits overlapping at a branch (no
more pupils than its room holds). A year holds some hundred classes and a few hundred visits.

A visit is **booked** ahead, in the branch's staffed hours; it can be **rescheduled** or
**cancelled** until it is **held**, and it is recorded as held once it has begun. A visit held
without a booking can be recorded afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import (
    CancelReason,
    ClassVisitBooked,
    ClassVisitCancelled,
    ClassVisitHeld,
    ClassVisitRescheduled,
    Programme,
    SchoolClass,
    SchoolClassesSet,
)
from tvers_contracts.schedule import OSLO, Schedule
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference
from tvers_visits.domain import school_year
from tvers_visits.domain.school import School, unknown_branch
from tvers_visits.domain.school_year import SchoolYear

#: The shortest and the longest visit.
SHORTEST_VISIT = timedelta(minutes=15)
LONGEST_VISIT = timedelta(hours=8)
#: The grade each programme is for (``other`` is for any grade).
PROGRAMME_GRADE: Mapping[Programme, int] = {
    Programme.SECOND_GRADE: 2,
    Programme.NINTH_GRADE: 9,
}


def stream(tenant: str, year: SchoolYear) -> str:
    """The stream of a tenant's school year."""
    return f"school-year-{tenant}-{year.label}"


class VisitStatus(StrEnum):
    """Where a visit is in its life."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    HELD = "held"


@dataclass(frozen=True)
class ClassRef:
    """A class of a school, by grade and label."""

    school_id: str
    grade: int
    class_label: str


@dataclass(frozen=True)
class Counts:
    """What is recorded when a visit was held. Counts only."""

    pupils_present: int
    library_cards_handed_out: int
    consent_forms_collected: int


@dataclass(frozen=True)
class Visit:
    """A class visit as the rules see it."""

    visit_id: UUID
    pupils_of: ClassRef
    branch_id: str
    starts_at: datetime
    ends_at: datetime
    expected_pupils: int
    programme: Programme
    status: VisitStatus = VisitStatus.BOOKED
    counts: Counts | None = None
    cancel_reason: CancelReason | None = None
    #: Booked ahead (rather than recorded only after it was held).
    booked: bool = True

    @property
    def active(self) -> bool:
        """Booked or held: it takes its time and its class's visit."""
        return self.status is not VisitStatus.CANCELLED

    @property
    def day(self) -> date:
        """Its local date."""
        return self.starts_at.astimezone(OSLO).date()

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Whether it takes any of ``[starts_at, ends_at)``."""
        return self.starts_at < ends_at and starts_at < self.ends_at


@dataclass(frozen=True)
class VisitYear:
    """A school year's classes (by school) and visits (by id)."""

    classes: Mapping[str, tuple[SchoolClass, ...]] = field(default_factory=dict)
    visits: Mapping[UUID, Visit] = field(default_factory=dict)

    def school_classes(self, school_id: str) -> tuple[SchoolClass, ...]:
        """A school's classes of the year (none registered: none)."""
        return self.classes.get(school_id, ())

    def find_class(self, ref: ClassRef) -> SchoolClass:
        """The registered class; :class:`UnknownReference` when the school has none such."""
        for known in self.school_classes(ref.school_id):
            if known.grade == ref.grade and known.class_label == ref.class_label:
                return known
        raise UnknownReference(
            f"{ref.school_id!r} has no class {ref.class_label} in grade {ref.grade} this school "
            "year; register the year's classes first"
        )

    def visit(self, visit_id: UUID) -> Visit:
        """The visit; :class:`NotFound` when there is none by that id this year."""
        found = self.visits.get(visit_id)
        if found is None:
            raise NotFound(f"no class visit {visit_id} in this school year")
        return found

    def visits_of(self, ref: ClassRef) -> list[Visit]:
        """A class's visits, in time order."""
        return sorted(
            (v for v in self.visits.values() if v.pupils_of == ref), key=lambda v: v.starts_at
        )

    def at_branch(self, branch_id: str) -> list[Visit]:
        """The active visits at a branch that take its time, in time order (a visit recorded
        only afterwards has a day but no hours, so it takes none)."""
        return sorted(
            (v for v in self.taking_time() if v.branch_id == branch_id),
            key=lambda v: v.starts_at,
        )

    def taking_time(self) -> list[Visit]:
        """The active visits booked ahead, whose hours are known: those a booking must not
        overlap. A visit recorded afterwards stands at noon of its day only to be listed."""
        return [v for v in self.visits.values() if v.active and v.booked]

    def programme_visit(self, ref: ClassRef) -> Visit | None:
        """The class's active visit of its grade's programme, if it has one."""
        return next(
            (
                v
                for v in self.visits_of(ref)
                if v.active and PROGRAMME_GRADE.get(v.programme) == ref.grade
            ),
            None,
        )


NO_YEAR = VisitYear()


def evolve(year: VisitYear, event: DomainEvent) -> VisitYear:
    """The year after an event."""
    if isinstance(event, SchoolClassesSet):
        return replace(year, classes={**year.classes, event.school_id: tuple(event.classes)})
    if isinstance(event, ClassVisitBooked):
        visit = Visit(
            visit_id=event.visit_id,
            pupils_of=ClassRef(event.school_id, event.grade, event.class_label),
            branch_id=event.branch_id,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            expected_pupils=event.expected_pupils,
            programme=event.programme,
        )
        return _with(year, visit)
    if isinstance(event, ClassVisitRescheduled) and event.visit_id in year.visits:
        moved = replace(
            year.visits[event.visit_id],
            branch_id=event.branch_id,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
        )
        return _with(year, moved)
    if isinstance(event, ClassVisitCancelled) and event.visit_id in year.visits:
        cancelled = replace(
            year.visits[event.visit_id], status=VisitStatus.CANCELLED, cancel_reason=event.reason
        )
        return _with(year, cancelled)
    if isinstance(event, ClassVisitHeld):
        return _with(year, _held(year.visits.get(event.visit_id), event))
    return year


def _with(year: VisitYear, visit: Visit) -> VisitYear:
    return replace(year, visits={**year.visits, visit.visit_id: visit})


def _held(booked: Visit | None, event: ClassVisitHeld) -> Visit:
    counts = Counts(
        event.pupils_present, event.library_cards_handed_out, event.consent_forms_collected
    )
    if booked is not None:
        return replace(booked, status=VisitStatus.HELD, counts=counts)
    # Recorded afterwards: its day is known, not its hours.
    noon = datetime.combine(event.held_on, datetime.min.time(), OSLO) + timedelta(hours=12)
    return Visit(
        visit_id=event.visit_id,
        pupils_of=ClassRef(event.school_id, event.grade, event.class_label),
        branch_id=event.branch_id,
        starts_at=noon,
        ends_at=noon,
        expected_pupils=event.pupils_present,
        programme=event.programme,
        status=VisitStatus.HELD,
        counts=counts,
        booked=False,
    )


# --- the classes of a year ---------------------------------------------------------------------


def set_classes(
    year: VisitYear,
    *,
    school: School,
    label: str,
    classes: Sequence[SchoolClass],
) -> list[DomainEvent]:
    """Replace a school's classes of the year: grades the school teaches, and every class with
    an active visit kept, with at least the pupils its visits count on."""
    for one in classes:
        if not school.teaches(one.grade):
            raise RuleViolated(
                f"{school.name} is a {school.school_type.value.replace('_', ' ')} school: it "
                f"has no grade {one.grade} (class {one.class_label})"
            )
    listed = {(c.grade, c.class_label): c for c in classes}
    for visit in year.visits.values():
        ref = visit.pupils_of
        if ref.school_id != school.school_id or not visit.active:
            continue
        kept = listed.get((ref.grade, ref.class_label))
        if kept is None:
            raise Conflict(
                f"class {ref.class_label} has a visit {visit.status.value} on "
                f"{visit.day.isoformat()}; cancel it before removing the class"
            )
        needed = visit.counts.pupils_present if visit.counts else visit.expected_pupils
        if kept.pupils < needed:
            raise Conflict(
                f"class {ref.class_label} has a visit {visit.status.value} for {needed} pupils; "
                f"it cannot have only {kept.pupils}"
            )
    if tuple(classes) == year.school_classes(school.school_id):
        return []
    return [SchoolClassesSet(school_id=school.school_id, school_year=label, classes=list(classes))]


# --- booking and moving ------------------------------------------------------------------------


@dataclass(frozen=True)
class Booking:
    """A visit asked for."""

    visit_id: UUID
    pupils_of: ClassRef
    branch_id: str
    starts_at: datetime
    ends_at: datetime
    expected_pupils: int
    programme: Programme
    plan_id: UUID | None = None


@dataclass(frozen=True)
class Branch:
    """What the rules need to know of the branch a visit is at."""

    branch_id: str
    known: bool
    #: The branch's staffed and meirope hours as learned from access.
    schedule: Schedule
    #: Pupils its room holds at once; None: one visit at a time.
    room: int | None = None


def book(
    year: VisitYear,
    booking: Booking,
    *,
    school: School,
    branch: Branch,
    now: datetime,
) -> list[DomainEvent]:
    """Book a class's visit: a registered class, no more pupils than it has, ahead of time, in
    the branch's staffed hours, with room at the branch and the class free then."""
    ref = booking.pupils_of
    if booking.visit_id in year.visits:
        raise Conflict(f"class visit {booking.visit_id} is already booked")
    expected_grade = PROGRAMME_GRADE.get(booking.programme)
    if expected_grade is not None and expected_grade != ref.grade:
        raise RuleViolated(
            f"the {booking.programme.value.replace('_', '-')} programme is for grade "
            f"{expected_grade}, not grade {ref.grade}"
        )
    pupils = year.find_class(ref).pupils
    if booking.expected_pupils > pupils:
        raise RuleViolated(
            f"{booking.expected_pupils} pupils expected, but class {ref.class_label} has {pupils}"
        )
    earlier = year.programme_visit(ref) if expected_grade is not None else None
    if earlier is not None:
        raise Conflict(
            f"class {ref.class_label} of {school.name} already has its visit "
            f"{earlier.status.value} on {earlier.day.isoformat()} this school year"
        )
    _check_time_and_place(
        year,
        visit_id=booking.visit_id,
        ref=ref,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        expected_pupils=booking.expected_pupils,
        branch=branch,
        now=now,
    )
    return [
        ClassVisitBooked(
            visit_id=booking.visit_id,
            school_id=ref.school_id,
            school_year=school_year.of(booking.starts_at.astimezone(OSLO).date()).label,
            grade=ref.grade,
            class_label=ref.class_label,
            branch_id=branch.branch_id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            expected_pupils=booking.expected_pupils,
            programme=booking.programme,
            plan_id=booking.plan_id,
        )
    ]


def book_all(
    year: VisitYear,
    bookings: Sequence[Booking],
    *,
    schools: Mapping[str, School],
    branches: Mapping[str, Branch],
    now: datetime,
) -> list[DomainEvent]:
    """Book several visits together (a confirmed plan): each checked against the year and the
    ones before it; all of them or, when one breaks a rule, none."""
    decided: list[DomainEvent] = []
    for booking in bookings:
        try:
            events = book(
                year,
                booking,
                school=schools[booking.pupils_of.school_id],
                branch=branches[booking.branch_id],
                now=now,
            )
        except RuleViolated as refused:
            raise type(refused)(f"{_named(booking)}: {refused.message}") from refused
        except Conflict as refused:
            raise Conflict(f"{_named(booking)}: {refused.message}") from refused
        for event in events:
            year = evolve(year, event)
        decided.extend(events)
    return decided


def _named(booking: Booking) -> str:
    ref = booking.pupils_of
    return f"{ref.school_id} {ref.class_label}"


def reschedule(
    year: VisitYear,
    visit_id: UUID,
    *,
    starts_at: datetime,
    ends_at: datetime,
    branch: Branch,
    now: datetime,
) -> list[DomainEvent]:
    """Move a booked visit to another time (and maybe branch) in the same school year, by the
    same rules as a booking."""
    visit = year.visit(visit_id)
    _still_booked(visit, "rescheduled")
    if (visit.branch_id, visit.starts_at, visit.ends_at) == (branch.branch_id, starts_at, ends_at):
        return []
    if school_year.of(starts_at.astimezone(OSLO).date()) != school_year.of(visit.day):
        raise RuleViolated(
            "a visit moves within its school year; cancel it and book one in the other year"
        )
    _check_time_and_place(
        year,
        visit_id=visit_id,
        ref=visit.pupils_of,
        starts_at=starts_at,
        ends_at=ends_at,
        expected_pupils=visit.expected_pupils,
        branch=branch,
        now=now,
    )
    return [
        ClassVisitRescheduled(
            visit_id=visit_id, branch_id=branch.branch_id, starts_at=starts_at, ends_at=ends_at
        )
    ]


def cancel(year: VisitYear, visit_id: UUID, reason: CancelReason) -> list[DomainEvent]:
    """Cancel a booked visit, with the reason. A held visit was held: it is not cancelled."""
    visit = year.visit(visit_id)
    _still_booked(visit, "cancelled")
    return [ClassVisitCancelled(visit_id=visit_id, reason=reason)]


def _still_booked(visit: Visit, what: str) -> None:
    if visit.status is VisitStatus.HELD:
        raise Conflict(f"this visit was held on {visit.day.isoformat()}; it cannot be {what}")
    if visit.status is VisitStatus.CANCELLED:
        raise Conflict(f"this visit is cancelled; it cannot be {what}")


def _check_time_and_place(
    year: VisitYear,
    *,
    visit_id: UUID,
    ref: ClassRef,
    starts_at: datetime,
    ends_at: datetime,
    expected_pupils: int,
    branch: Branch,
    now: datetime,
) -> None:
    if not branch.known:
        raise unknown_branch(branch.branch_id)
    length = ends_at - starts_at
    if not SHORTEST_VISIT <= length <= LONGEST_VISIT:
        raise RuleViolated("a visit lasts from 15 minutes to 8 hours, and ends after it starts")
    day = starts_at.astimezone(OSLO).date()
    if ends_at.astimezone(OSLO).date() != day and ends_at != _next_midnight(day):
        raise RuleViolated("a visit begins and ends on the same day")
    if starts_at <= now:
        raise RuleViolated(
            "a visit is booked ahead of its time; record a visit already held as held instead"
        )
    school_year.of(day)  # not in the summer holiday
    if not staffed_throughout(branch.schedule, starts_at, ends_at):
        raise RuleViolated(
            f"{_local_span(starts_at, ends_at)} is not in the staffed hours of "
            f"{branch.branch_id} ({_staffed_that_day(branch.schedule, day)}); class visits are "
            "booked in staffed hours only"
        )
    others = [v for v in year.taking_time() if v.visit_id != visit_id]
    busy = next((v for v in others if v.pupils_of == ref and v.overlaps(starts_at, ends_at)), None)
    if busy is not None:
        raise Conflict(
            f"class {ref.class_label} is at {busy.branch_id} then "
            f"({_local_span(busy.starts_at, busy.ends_at)})"
        )
    there = [
        v for v in others if v.branch_id == branch.branch_id and v.overlaps(starts_at, ends_at)
    ]
    if not there:
        return
    if branch.room is None:
        raise Conflict(
            f"{branch.branch_id} hosts another class visit then "
            f"({_local_span(there[0].starts_at, there[0].ends_at)}) and takes one at a time"
        )
    most = most_at_once(there, starts_at, ends_at) + expected_pupils
    if most > branch.room:
        raise Conflict(
            f"{branch.branch_id}'s room holds {branch.room} pupils; with the visits already "
            f"booked then, {most} would be there at once"
        )


def most_at_once(visits: Iterable[Visit], starts_at: datetime, ends_at: datetime) -> int:
    """The most pupils ``visits`` bring at any one moment of ``[starts_at, ends_at)``."""
    overlapping = [v for v in visits if v.overlaps(starts_at, ends_at)]
    moments = {starts_at, *(v.starts_at for v in overlapping if v.starts_at > starts_at)}
    return max(
        (
            sum(v.expected_pupils for v in overlapping if v.starts_at <= m < v.ends_at)
            for m in moments
        ),
        default=0,
    )


def staffed_throughout(schedule: Schedule, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether every moment of ``[starts_at, ends_at)`` is in staffed hours (one staffed period,
    or staffed periods that follow on each other)."""
    first = starts_at.astimezone(OSLO).date() - timedelta(days=1)
    last = ends_at.astimezone(OSLO).date()
    staffed = [o for o in schedule.occurrences(first, last) if o.kind is OpeningKind.STAFFED]
    reached = starts_at
    for period in staffed:
        if period.starts <= reached < period.ends:
            reached = period.ends
            if reached >= ends_at:
                return True
    return False


def _next_midnight(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), OSLO)


def _local_span(starts_at: datetime, ends_at: datetime) -> str:
    start, end = starts_at.astimezone(OSLO), ends_at.astimezone(OSLO)
    return f"{start.date().isoformat()} {start:%H:%M}-{end:%H:%M}"


def _staffed_that_day(schedule: Schedule, day: date) -> str:
    spans = [
        f"{o.starts.astimezone(OSLO):%H:%M}-{o.ends.astimezone(OSLO):%H:%M}"
        for o in schedule.day_occurrences(day)
        if o.kind is OpeningKind.STAFFED
    ]
    return "staffed " + ", ".join(spans) if spans else "not staffed that day"


# --- held --------------------------------------------------------------------------------------


def earliest_held_on(today: date) -> date:
    """How far back a held visit may be recorded: the same day a year ago. Late reports of last
    spring's visits still fit after the summer; a slip of the year (0001, 2205) does not."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _check_counts(counts: Counts, class_pupils: int, label: str) -> None:
    if counts.pupils_present > class_pupils:
        raise RuleViolated(
            f"{counts.pupils_present} pupils present, but class {label} has {class_pupils}"
        )
    if counts.library_cards_handed_out > counts.pupils_present:
        raise RuleViolated(
            f"{counts.library_cards_handed_out} library cards handed out, but only "
            f"{counts.pupils_present} pupils present"
        )
    if counts.library_cards_handed_out > counts.consent_forms_collected:
        raise RuleViolated(
            f"{counts.library_cards_handed_out} library cards handed out, but only "
            f"{counts.consent_forms_collected} guardian consent forms collected: a card needs one"
        )
    if counts.consent_forms_collected > class_pupils:
        raise RuleViolated(
            f"{counts.consent_forms_collected} consent forms collected, but class {label} has "
            f"{class_pupils} pupils"
        )


def record_held(
    year: VisitYear, visit_id: UUID, counts: Counts, *, now: datetime
) -> list[DomainEvent]:
    """Record a booked visit as held, once it has begun: the counts, checked against the class."""
    visit = year.visit(visit_id)
    if visit.status is VisitStatus.HELD:
        raise Conflict("this visit is already recorded as held")
    if visit.status is VisitStatus.CANCELLED:
        raise Conflict("this visit was cancelled; book or record the visit that was held")
    if now < visit.starts_at:
        raise RuleViolated(
            f"this visit begins {_local_span(visit.starts_at, visit.ends_at)}; it is recorded "
            "as held once it has begun"
        )
    today = now.astimezone(OSLO).date()
    if visit.day < earliest_held_on(today):
        raise RuleViolated("a visit can be recorded as held up to a year after it was held")
    ref = visit.pupils_of
    _check_counts(counts, year.find_class(ref).pupils, ref.class_label)
    return [_held_event(visit, counts)]


@dataclass(frozen=True)
class Unbooked:
    """A visit that was held without being booked here, reported afterwards."""

    visit_id: UUID
    pupils_of: ClassRef
    branch_id: str
    held_on: date
    programme: Programme
    counts: Counts


def record_unbooked(
    year: VisitYear, held: Unbooked, *, branch_known: bool, today: date
) -> list[DomainEvent]:
    """Record a visit held without a booking: at a known branch, in the last year and not in
    the future, for a registered class that has not had its programme's visit."""
    if held.visit_id in year.visits:
        raise Conflict("this visit is already recorded")
    if held.held_on > today:
        raise RuleViolated("a visit cannot be recorded as held before its day")
    if held.held_on < earliest_held_on(today):
        raise RuleViolated(
            f"a visit can be recorded up to a year after it was held, not from "
            f"{held.held_on.isoformat()} (earliest {earliest_held_on(today).isoformat()})"
        )
    school_year.of(held.held_on)
    ref = held.pupils_of
    expected_grade = PROGRAMME_GRADE.get(held.programme)
    if expected_grade is not None and expected_grade != ref.grade:
        raise RuleViolated(
            f"the {held.programme.value.replace('_', '-')} programme is for grade "
            f"{expected_grade}, not grade {ref.grade}"
        )
    pupils = year.find_class(ref).pupils
    if not branch_known:
        raise unknown_branch(held.branch_id)
    earlier = year.programme_visit(ref) if expected_grade is not None else None
    if earlier is not None:
        raise Conflict(
            f"class {ref.class_label} already has its visit {earlier.status.value} on "
            f"{earlier.day.isoformat()}; record that one as held"
        )
    _check_counts(held.counts, pupils, ref.class_label)
    noon = datetime.combine(held.held_on, datetime.min.time(), OSLO) + timedelta(hours=12)
    visit = Visit(
        visit_id=held.visit_id,
        pupils_of=ref,
        branch_id=held.branch_id,
        starts_at=noon,
        ends_at=noon,
        expected_pupils=held.counts.pupils_present,
        programme=held.programme,
        booked=False,
    )
    return [_held_event(visit, held.counts)]


def _held_event(visit: Visit, counts: Counts) -> ClassVisitHeld:
    ref = visit.pupils_of
    return ClassVisitHeld(
        visit_id=visit.visit_id,
        school_id=ref.school_id,
        school_year=school_year.of(visit.day).label,
        grade=ref.grade,
        class_label=ref.class_label,
        branch_id=visit.branch_id,
        held_on=visit.day,
        programme=visit.programme,
        pupils_present=counts.pupils_present,
        library_cards_handed_out=counts.library_cards_handed_out,
        consent_forms_collected=counts.consent_forms_collected,
    )


# --- who has not had their visit ---------------------------------------------------------------


@dataclass(frozen=True)
class ClassStatus:
    """A class of the year and its visits."""

    school_id: str
    school_class: SchoolClass
    visits: tuple[Visit, ...]

    @property
    def programme_visit(self) -> Visit | None:
        """Its active visit of its grade's programme."""
        return next(
            (
                v
                for v in self.visits
                if v.active and PROGRAMME_GRADE.get(v.programme) == self.school_class.grade
            ),
            None,
        )


def class_statuses(year: VisitYear, school_id: str) -> list[ClassStatus]:
    """A school's classes of the year, each with its visits, by grade and label."""
    return [
        ClassStatus(
            school_id,
            one,
            tuple(year.visits_of(ClassRef(school_id, one.grade, one.class_label))),
        )
        for one in sorted(year.school_classes(school_id), key=lambda c: (c.grade, c.class_label))
    ]


def not_yet_visited(year: VisitYear) -> list[ClassRef]:
    """The 2nd- and 9th-grade classes with no visit of their programme booked or held, by school,
    grade and label."""
    found = [
        ClassRef(school_id, one.grade, one.class_label)
        for school_id in sorted(year.classes)
        for one in year.classes[school_id]
        if one.grade in PROGRAMME_GRADE.values()
    ]
    return sorted(
        (ref for ref in found if year.programme_visit(ref) is None),
        key=lambda r: (r.school_id, r.grade, r.class_label),
    )
