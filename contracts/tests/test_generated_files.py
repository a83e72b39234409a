"""The checked-in JSON Schemas and AsyncAPI document are exactly what the code generates, and a
third party can validate a real message with nothing but a schema file."""

import json
from datetime import UTC, datetime, time
from typing import Any
from uuid import uuid4

import jsonschema
import pytest
from pydantic import ValidationError

from tvers_contracts.event import DomainEvent
from tvers_contracts.events.access import (
    EntryGranted,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.generate import CONTRACTS_DIR, drift, schema_path
from tvers_contracts.values import OpeningKind


def test_generated_files_have_not_drifted_from_the_code() -> None:
    assert drift() == [], "run: python -m tvers_contracts.generate"


def wire_message(
    payload: dict[str, object], event_type: str = "EntryGranted", schema_version: int = 1
) -> dict[str, object]:
    now = datetime.now(UTC).isoformat()
    return {
        "event_id": str(uuid4()),
        "event_type": event_type,
        "schema_version": schema_version,
        "tenant": "1508",
        "stream_id": "door-alesund-sentrum-hovuddor",
        "stream_version": 7,
        "occurred_at": now,
        "recorded_at": now,
        "correlation_id": str(uuid4()),
        "causation_id": None,
        "payload": payload,
    }


def test_a_message_validates_against_its_schema_file_alone() -> None:
    schema = json.loads((CONTRACTS_DIR / schema_path(EntryGranted)).read_text())
    event = EntryGranted(
        door_id="alesund-sentrum-hovuddor",
        branch_id="alesund-sentrum",
        patron_ref="0123456789abcdef0123456789abcdef",
        opening=OpeningKind.MEIROPE,
    )
    jsonschema.validate(wire_message(json.loads(event.model_dump_json())), schema)


def test_the_schema_file_rejects_a_card_number_in_place_of_a_patron_reference() -> None:
    schema = json.loads((CONTRACTS_DIR / schema_path(EntryGranted)).read_text())
    message = wire_message(
        {
            "door_id": "alesund-sentrum-hovuddor",
            "branch_id": "alesund-sentrum",
            "patron_ref": "N000123456",
            "opening": "meirope",
        }
    )
    validator = jsonschema.Draft202012Validator(schema)
    assert [error.validator for error in validator.iter_errors(message)] == ["pattern"]


def strict_validator(event_class: type[DomainEvent]) -> jsonschema.Draft202012Validator:
    """A third party's validator: the schema file alone, with every format checked."""
    schema = json.loads((CONTRACTS_DIR / schema_path(event_class)).read_text())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_a_schedule_with_local_times_validates_with_a_strict_format_checker() -> None:
    event = WeeklyScheduleSet(
        branch_id="alesund-sentrum",
        periods=[
            SchedulePeriod(weekday=1, starts=time(10), ends=time(18), kind=OpeningKind.STAFFED),
            SchedulePeriod(
                weekday=1, starts=time(18), ends=time(21, 30, 15, 250), kind=OpeningKind.MEIROPE
            ),
        ],
    )
    message = wire_message(
        json.loads(event.model_dump_json()), "WeeklyScheduleSet", WeeklyScheduleSet.schema_version
    )
    assert list(strict_validator(WeeklyScheduleSet).iter_errors(message)) == []


def test_the_schema_file_refuses_a_schedule_time_with_an_offset() -> None:
    period: dict[str, Any] = {"weekday": 1, "starts": "10:00:00", "ends": "18:00:00"}
    message = wire_message(
        {
            "branch_id": "alesund-sentrum",
            "periods": [{**period, "starts": "10:00:00+01:00", "kind": "staffed"}],
        },
        "WeeklyScheduleSet",
        WeeklyScheduleSet.schema_version,
    )
    errors = list(strict_validator(WeeklyScheduleSet).iter_errors(message))
    assert [error.validator for error in errors] == ["pattern"]


@pytest.mark.parametrize("text", ["00:00:00+05:00", "11:29:49Z", "18:00-01:00"])
def test_a_schedule_time_with_an_offset_is_refused_by_the_contract(text: str) -> None:
    with pytest.raises(ValidationError, match="without a UTC offset"):
        SchedulePeriod(weekday=1, starts=text, ends="23:00", kind=OpeningKind.MEIROPE)
