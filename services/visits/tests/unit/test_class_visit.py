"""A held class visit: counts that make sense, on a day that has come and not long gone, at a
school and a branch that exist."""

from datetime import date
from uuid import uuid4

import pytest

from tvers_contracts.events.visits import ClassVisitHeld
from tvers_runtime.domain import Conflict, RuleViolated, UnknownReference
from tvers_visits.domain import class_visit

TODAY = date(2026, 11, 28)


def record(
    visit: class_visit.ClassVisit,
    pupils: int = 24,
    cards: int = 22,
    day: date = TODAY,
    *,
    today: date = TODAY,
    school_known: bool = True,
    branch_known: bool = True,
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
    return list(
        class_visit.record_held(
            visit,
            visit_id=uuid4(),
            held=held,
            today=today,
            school_known=school_known,
            branch_known=branch_known,
        )
    )


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


@pytest.mark.parametrize(
    ("day", "today"),
    [
        (date(1, 1, 1), TODAY),
        (date(2025, 11, 27), TODAY),
        (date(2023, 2, 27), date(2024, 2, 29)),
    ],
)
def test_a_visit_is_recorded_within_a_year_of_its_day(day: date, today: date) -> None:
    with pytest.raises(RuleViolated, match="up to a year after it was held"):
        record(class_visit.NO_VISIT, day=day, today=today)


@pytest.mark.parametrize(
    ("day", "today"),
    [(date(2025, 11, 28), TODAY), (TODAY, TODAY), (date(2023, 2, 28), date(2024, 2, 29))],
)
def test_the_edges_of_the_year_are_inside_it(day: date, today: date) -> None:
    assert record(class_visit.NO_VISIT, day=day, today=today)


def test_a_visit_from_a_school_that_is_not_registered_is_refused() -> None:
    with pytest.raises(UnknownReference, match="no school 'aspoy-skule' is registered"):
        record(class_visit.NO_VISIT, school_known=False)


def test_a_visit_to_a_branch_not_known_here_is_refused() -> None:
    with pytest.raises(UnknownReference, match="no branch 'alesund-sentrum' is known here"):
        record(class_visit.NO_VISIT, branch_known=False)
