"""The visits service's school-year events: a version 1 ``ClassVisitHeld`` reads as version 2,
a class is named by grade and letters (never a name), a school year by two consecutive years."""

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from tvers_contracts import REGISTRY
from tvers_contracts.events.visits import (
    ClassVisitBooked,
    ClassVisitHeld,
    Programme,
    SchoolClass,
    SchoolClassesSet,
)


def held_v1(**changes: Any) -> dict[str, Any]:
    return {
        "visit_id": str(uuid4()),
        "school_id": "aspoy-skule",
        "grade": 2,
        "class_label": "2A",
        "branch_id": "alesund-sentrum",
        "held_on": "2026-03-12",
        "pupils_present": 24,
        "library_cards_handed_out": 22,
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "year", "programme"),
    [
        ({}, "2025-2026", Programme.SECOND_GRADE),
        (
            {"grade": 9, "class_label": "9C", "held_on": "2026-09-01"},
            "2026-2027",
            Programme.NINTH_GRADE,
        ),
        ({"grade": 5, "class_label": "5A", "held_on": "2026-07-15"}, "2025-2026", Programme.OTHER),
    ],
)
def test_a_version_1_held_visit_reads_with_its_year_programme_and_a_consent_per_card(
    changes: dict[str, Any], year: str, programme: Programme
) -> None:
    event = REGISTRY.decode("ClassVisitHeld", 1, held_v1(**changes))
    assert isinstance(event, ClassVisitHeld)
    assert (event.school_year, event.programme, event.consent_forms_collected) == (
        year,
        programme,
        22,
    )


@pytest.mark.parametrize("label", ["Ola", "2 A", "2a", "2ABCDE", "12A", "0A", "A2"])
def test_a_class_label_is_a_grade_and_letters_never_a_name(label: str) -> None:
    with pytest.raises(ValidationError):
        SchoolClass(grade=2, class_label=label, pupils=20)


def test_a_class_label_starts_with_its_own_grade() -> None:
    assert SchoolClass(grade=10, class_label="10B", pupils=20).class_label == "10B"
    with pytest.raises(ValidationError, match="not a class of grade 1"):
        SchoolClass(grade=1, class_label="10B", pupils=20)


@pytest.mark.parametrize("year", ["2026-2028", "2026/2027", "26-27", "2027-2026"])
def test_a_school_year_is_named_by_two_consecutive_years(year: str) -> None:
    with pytest.raises(ValidationError):
        SchoolClassesSet(school_id="aspoy-skule", school_year=year, classes=[])


def test_a_booked_visit_ends_after_it_starts() -> None:
    moment = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with pytest.raises(ValidationError, match="end after it starts"):
        ClassVisitBooked(
            visit_id=uuid4(),
            school_id="aspoy-skule",
            school_year="2026-2027",
            grade=2,
            class_label="2A",
            branch_id="alesund-sentrum",
            starts_at=moment,
            ends_at=moment,
            expected_pupils=20,
            programme=Programme.SECOND_GRADE,
        )
