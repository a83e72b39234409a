"""The checked-in JSON Schemas and AsyncAPI document are exactly what the code generates, and a
third party can validate a real message with nothing but a schema file."""

import json
from datetime import UTC, datetime
from uuid import uuid4

import jsonschema

from tvers_contracts.events.access import EntryGranted
from tvers_contracts.generate import CONTRACTS_DIR, drift, schema_path
from tvers_contracts.values import OpeningKind


def test_generated_files_have_not_drifted_from_the_code() -> None:
    assert drift() == [], "run: python -m tvers_contracts.generate"


def wire_message(payload: dict[str, object]) -> dict[str, object]:
    now = datetime.now(UTC).isoformat()
    return {
        "event_id": str(uuid4()),
        "event_type": "EntryGranted",
        "schema_version": 1,
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
