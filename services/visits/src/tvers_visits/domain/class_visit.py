"""A school class's visit to a library branch, recorded when it has been held."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import ClassVisitHeld, Programme, school_year_of
from tvers_runtime.domain import Conflict, RuleViolated, UnknownReference


@dataclass(frozen=True)
class HeldVisit:
    """What is reported after a class visit: the class and the counts, never a name."""

    school_id: str
    grade: int
    class_label: str
    branch_id: str
    held_on: date
    pupils_present: int
    library_cards_handed_out: int


@dataclass(frozen=True)
class ClassVisit:
    """What the rules need to know of a class visit."""

    visit_id: UUID | None = None
    held: bool = False


NO_VISIT = ClassVisit()


def stream(visit_id: UUID) -> str:
    """The visit's stream id."""
    return f"classvisit-{visit_id}"


def evolve(visit: ClassVisit, event: DomainEvent) -> ClassVisit:
    """The visit after an event."""
    if isinstance(event, ClassVisitHeld):
        return ClassVisit(event.visit_id, held=True)
    return visit


def earliest_held_on(today: date) -> date:
    """How far back a held visit may be recorded: the same day a year ago. Late reports of last
    spring's visits still fit after the summer; a slip of the year (0001, 2205) does not."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def record_held(
    visit: ClassVisit,
    *,
    visit_id: UUID,
    held: HeldVisit,
    today: date,
    school_known: bool,
    branch_known: bool,
) -> list[DomainEvent]:
    """Record a visit as held: at a known school and branch, in the last year and not in the
    future, with no more cards than pupils."""
    if visit.held:
        raise Conflict("this visit is already recorded as held")
    if held.library_cards_handed_out > held.pupils_present:
        raise RuleViolated(
            f"{held.library_cards_handed_out} library cards handed out, "
            f"but only {held.pupils_present} pupils present"
        )
    if held.held_on > today:
        raise RuleViolated("a visit cannot be recorded as held before its day")
    if held.held_on < earliest_held_on(today):
        raise RuleViolated(
            f"a visit can be recorded up to a year after it was held, not from "
            f"{held.held_on.isoformat()} (earliest {earliest_held_on(today).isoformat()})"
        )
    if not school_known:
        raise UnknownReference(f"no school {held.school_id!r} is registered; register it first")
    if not branch_known:
        raise UnknownReference(
            f"no branch {held.branch_id!r} is known here; a branch registered in access a moment "
            "ago is known within seconds, so try again shortly"
        )
    programme = {2: Programme.SECOND_GRADE, 9: Programme.NINTH_GRADE}.get(held.grade)
    return [
        ClassVisitHeld(
            visit_id=visit_id,
            school_year=school_year_of(held.held_on),
            programme=programme or Programme.OTHER,
            consent_forms_collected=held.library_cards_handed_out,
            **asdict(held),
        )
    ]
