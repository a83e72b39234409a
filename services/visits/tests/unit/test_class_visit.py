"""A held class visit: counts that make sense, on a day that has come."""

from datetime import date
from uuid import uuid4

import pytest

from tvers_contracts.events.visits import ClassVisitHeld
from tvers_runtime.domain import Conflict, RuleViolated
from tvers_visits.domain import class_visit

TODAY = date(2026, 11, 28)


def record(
    visit: class_visit.ClassVisit, pupils: int = 24, cards: int = 22, day: date = TODAY
) -> list[object]:
    held = class_visit.HeldVisit(
        school_id="aspoy-skule",
        grade=2,
        class_label="2A",
        branch_id="alesund-sentrum",
        held_on=day,
        pupils_present=pupils,
        library_cards_handed_out=cards,
    )
    return list(class_visit.record_held(visit, visit_id=uuid4(), held=held, today=TODAY))


def test_a_held_visit_records_pupils_and_cards() -> None:
    (event,) = record(class_visit.NO_VISIT)
    assert isinstance(event, ClassVisitHeld)
    assert (event.pupils_present, event.library_cards_handed_out) == (24, 22)


def test_no_more_cards_than_pupils() -> None:
    with pytest.raises(RuleViolated, match="25 library cards handed out, but only 24 pupils"):
        record(class_visit.NO_VISIT, pupils=24, cards=25)


def test_a_visit_is_not_held_before_its_day() -> None:
    with pytest.raises(RuleViolated, match="before its day"):
        record(class_visit.NO_VISIT, day=date(2026, 12, 1))


def test_a_visit_is_recorded_as_held_once() -> None:
    (event,) = record(class_visit.NO_VISIT)
    assert isinstance(event, ClassVisitHeld)
    held = class_visit.evolve(class_visit.NO_VISIT, event)
    with pytest.raises(Conflict):
        record(held)
