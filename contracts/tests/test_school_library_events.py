"""The events of deposits, theme days and the school librarians' network hold what they say and
nothing that could carry a person: no name field, short texts that refuse contacts, classes by
grade and label."""

from __future__ import annotations

from datetime import date, time
from typing import Any
from uuid import uuid4

import pytest
from pydantic import TypeAdapter, ValidationError

from tvers_contracts import REGISTRY
from tvers_contracts.events.visits import (
    DepositDelivered,
    DepositOrdered,
    NetworkMemberChanged,
    NetworkMemberJoined,
    NetworkMemberLeft,
    OrdererRole,
    SchoolParticipants,
    ShortText,
    ThemeDayHeld,
    ThemeDayPlanned,
)

SHORT_TEXT: TypeAdapter[str] = TypeAdapter(ShortText)


def test_network_events_carry_an_opaque_member_a_school_and_a_role_only() -> None:
    fields = {
        cls.__name__: set(cls.model_json_schema()["properties"])
        for cls in (NetworkMemberJoined, NetworkMemberChanged, NetworkMemberLeft)
    }
    assert fields == {
        "NetworkMemberJoined": {"member_id", "school_id", "role"},
        "NetworkMemberChanged": {"member_id", "school_id", "role"},
        "NetworkMemberLeft": {"member_id"},
    }


def test_no_school_library_event_has_a_field_named_for_a_person() -> None:
    school_library = [
        cls
        for cls in REGISTRY.all_classes()
        if cls.service == "visits" and cls.aggregate in {"deposit", "theme_days", "network"}
    ]
    assert len(school_library) == 13
    for cls in school_library:
        for field in cls.model_json_schema()["properties"]:
            assert not any(part in field for part in ("name", "mail", "phone", "person")), field


@pytest.mark.parametrize(
    "text",
    [
        "kari.nordmann@example.no",
        "+47 912 34 567",
        "Ring 91234567",
        "Dinosaurar\nfor 2A",
        "\u202eDinosaurar",
        "1234",
        " Dinosaurar",
        "x" * 81,
        "",
    ],
)
def test_a_short_text_refuses_contacts_control_characters_and_length(text: str) -> None:
    with pytest.raises(ValidationError):
        SHORT_TEXT.validate_python(text)


@pytest.mark.parametrize(
    "text",
    ["Dinosaurar", "Andre verdskrigen 1939-45", "Lesestimulering på mellomtrinnet", "Sal 2"],
)
def test_a_short_text_takes_themes_topics_and_places(text: str) -> None:
    assert SHORT_TEXT.validate_python(text) == text


def ordered(**changes: Any) -> DepositOrdered:
    fields: dict[str, Any] = {
        "deposit_id": uuid4(),
        "school_id": "aspoy-skule",
        "grade": 2,
        "class_label": "2A",
        "theme": "Dinosaurar",
        "books": 30,
        "wished_delivery_on": date(2026, 9, 14),
        "ordered_on": date(2026, 9, 1),
        "ordered_by": OrdererRole.TEACHER,
    }
    return DepositOrdered(**(fields | changes))


def test_a_deposit_is_for_a_class_of_its_grade_or_for_the_school_library() -> None:
    assert ordered().class_label == "2A"
    assert ordered(grade=None, class_label=None).grade is None
    with pytest.raises(ValidationError, match="together, or not at all"):
        ordered(class_label=None)
    with pytest.raises(ValidationError, match="not a class of grade 2"):
        ordered(class_label="9A")
    with pytest.raises(ValidationError, match="books"):
        ordered(books=301)


def test_a_deposit_is_due_after_it_was_delivered() -> None:
    with pytest.raises(ValidationError, match="due after the day it was delivered"):
        DepositDelivered(
            deposit_id=uuid4(), delivered_on=date(2026, 9, 14), due_on=date(2026, 9, 14)
        )


def planned(**changes: Any) -> ThemeDayPlanned:
    fields: dict[str, Any] = {
        "theme_day_id": uuid4(),
        "topic": "Lesestimulering",
        "day": date(2026, 10, 20),
        "branch_id": "alesund-sentrum",
    }
    return ThemeDayPlanned(**(fields | changes))


def test_a_theme_day_is_at_a_branch_or_a_place_and_ends_after_it_starts() -> None:
    assert planned(starts_at=time(9), ends_at=time(15)).ends_at == time(15)
    assert planned(branch_id=None, place="Kulturhuset").place == "Kulturhuset"
    with pytest.raises(ValidationError, match="one of them"):
        planned(place="Kulturhuset")
    with pytest.raises(ValidationError, match="one of them"):
        planned(branch_id=None)
    with pytest.raises(ValidationError, match="or neither"):
        planned(starts_at=time(9))
    with pytest.raises(ValidationError, match="ends after it starts"):
        planned(starts_at=time(15), ends_at=time(9))


def test_a_held_theme_day_counts_each_school_once() -> None:
    entry = SchoolParticipants(school_id="aspoy-skule", participants=2)
    assert ThemeDayHeld(theme_day_id=uuid4(), participants=[entry]).participants == [entry]
    with pytest.raises(ValidationError, match="each school is listed once"):
        ThemeDayHeld(theme_day_id=uuid4(), participants=[entry, entry])
    with pytest.raises(ValidationError, match="participants"):
        ThemeDayHeld(theme_day_id=uuid4(), participants=[])
