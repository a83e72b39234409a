"""Request models take JSON as it is written: no string or boolean for a number, no number for a
date or a string, while dates, times, UUIDs and enum values come as the strings JSON sends."""

from datetime import date, time
from enum import StrEnum
from typing import Any
from uuid import UUID

import pytest
from pydantic import AwareDatetime, BaseModel, Field, ValidationError

from tvers_contracts.events.access import DayPeriod, SchedulePeriod
from tvers_runtime.http.commands import Strict


class Kind(StrEnum):
    STAFFED = "staffed"
    MEIROPE = "meirope"


class Visit(Strict):
    grade: int = Field(ge=1, le=13)
    share: float = 1.0
    consent: bool = False
    label: str = "2A"


class Dated(Strict):
    held_on: date | None = None
    counted_at: AwareDatetime | None = None
    opens: time | None = None
    visit_id: UUID | None = None
    kind: Kind = Kind.STAFFED


class Outer(Strict):
    visits: list[Visit] = Field(default_factory=list)
    periods: list[SchedulePeriod] = Field(default_factory=list)
    days: list[DayPeriod] = Field(default_factory=list)


def problems(model: type[BaseModel], body: dict[str, Any]) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(body)
    return [error["loc"] for error in refused.value.errors()]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"grade": "3"}, "grade"),
        ({"grade": True}, "grade"),
        ({"grade": 3.0}, "grade"),
        ({"grade": 3, "share": "0.5"}, "share"),
        ({"grade": 3, "share": False}, "share"),
        ({"grade": 3, "consent": 1}, "consent"),
        ({"grade": 3, "consent": "true"}, "consent"),
        ({"grade": 3, "label": 2}, "label"),
    ],
)
def test_a_scalar_of_another_json_type_is_refused_at_its_field(
    body: dict[str, Any], field: str
) -> None:
    assert problems(Visit, body) == [(field,)]


def test_scalars_of_the_right_json_type_are_taken() -> None:
    visit = Visit.model_validate({"grade": 3, "share": 1, "consent": True, "label": "9B"})
    assert (visit.grade, visit.share, visit.consent, visit.label) == (3, 1.0, True, "9B")


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"held_on": 1_700_006_400}, "a date as a JSON string"),
        ({"counted_at": 1_700_000_000}, "a date and time as a JSON string"),
        ({"opens": 3600}, "a time as a JSON string"),
        ({"held_on": True}, "a date as a JSON string"),
    ],
)
def test_a_number_for_a_date_or_time_is_refused(body: dict[str, Any], says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Dated.model_validate(body)
    assert says in str(refused.value)


def test_dates_times_uuids_and_enum_values_come_as_json_strings() -> None:
    dated = Dated.model_validate(
        {
            "held_on": "2025-03-01",
            "counted_at": "2025-03-01T18:00:00+01:00",
            "opens": "18:00",
            "visit_id": "6f1d8c9e-1111-4111-8111-111111111111",
            "kind": "meirope",
        }
    )
    assert dated.held_on == date(2025, 3, 1)
    assert dated.counted_at is not None
    assert dated.counted_at.utcoffset() is not None
    assert dated.opens == time(18)
    assert dated.visit_id == UUID("6f1d8c9e-1111-4111-8111-111111111111")
    assert dated.kind is Kind.MEIROPE


def test_nested_request_models_and_schedule_periods_are_strict_too() -> None:
    period = {"weekday": 1, "starts": "10:00", "ends": "12:00", "kind": "staffed"}
    assert problems(Outer, {"visits": [{"grade": "3"}]}) == [("visits", 0, "grade")]
    assert problems(Outer, {"periods": [{**period, "weekday": "1"}]}) == [("periods", 0, "weekday")]
    assert problems(Outer, {"periods": [{**period, "weekday": True}]}) == [
        ("periods", 0, "weekday")
    ]
    assert problems(Outer, {"days": [{**period, "starts": 36000}]}) != []
    assert Outer.model_validate({"periods": [period]}).periods[0].weekday == 1


def test_a_request_model_that_nests_a_lenient_model_is_refused_when_it_is_defined() -> None:
    class Lenient(BaseModel):
        days: int

    with pytest.raises(TypeError, match="nests Lenient, which takes int values leniently"):

        class Careless(Strict):
            inner: list[Lenient]


def test_the_json_schema_is_what_it_was() -> None:
    schema = Dated.model_json_schema()["properties"]
    assert schema["held_on"]["anyOf"][0] == {"type": "string", "format": "date"}
    assert schema["counted_at"]["anyOf"][0] == {"type": "string", "format": "date-time"}
    assert Visit.model_json_schema()["properties"]["grade"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 13,
        "title": "Grade",
    }
