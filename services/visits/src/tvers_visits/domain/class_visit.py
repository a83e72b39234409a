"""A school class's visit to a library branch, recorded when it has been held."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import ClassVisitHeld
from tvers_runtime.domain import Conflict, RuleViolated


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


def record_held(
    visit: ClassVisit, *, visit_id: UUID, held: HeldVisit, today: date
) -> list[DomainEvent]:
    """Record a visit as held: no more cards than pupils, and not in the future."""
    if visit.held:
        raise Conflict("this visit is already recorded as held")
    if held.library_cards_handed_out > held.pupils_present:
        raise RuleViolated(
            f"{held.library_cards_handed_out} library cards handed out, "
            f"but only {held.pupils_present} pupils present"
        )
    if held.held_on > today:
        raise RuleViolated("a visit cannot be recorded as held before its day")
    return [ClassVisitHeld(visit_id=visit_id, **asdict(held))]
