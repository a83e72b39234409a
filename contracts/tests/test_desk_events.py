"""The desk's events carry nothing about the citizen: a help record's fields are ids, codes and
a time, never free text, as a third party sees them in the JSON Schemas."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from tvers_contracts import event_subject
from tvers_contracts.events.desk import (
    CategoryAdded,
    Department,
    HelpGiven,
    HelpUndone,
)
from tvers_contracts.generate import event_json_schema

#: The string fields of a help record that are not codes: each is held to a pattern.
SLUGS = {"site", "category_id"}


def schema_of(event: type[Any]) -> dict[str, Any]:
    """The payload's schema as published (in the whole message's JSON Schema)."""
    schema: dict[str, Any] = event_json_schema(event)["$defs"][event.__name__]
    return schema


@pytest.mark.parametrize("event", [HelpGiven, HelpUndone])
def test_every_field_of_a_help_record_is_an_id_a_code_or_a_time(event: type[Any]) -> None:
    schema = schema_of(event)
    for name, field in schema["properties"].items():
        texts = [field, *field.get("anyOf", [])]
        free = [
            t
            for t in texts
            if t.get("type") == "string"
            and "pattern" not in t
            and "format" not in t
            and "enum" not in t
            and "$ref" not in t
        ]
        assert not free, f"{event.__name__}.{name} is free text: {field}"
    assert set(schema_of(HelpGiven)["properties"]) >= SLUGS


def test_help_given_refuses_a_referral_to_its_own_department() -> None:
    with pytest.raises(ValidationError, match="another department"):
        HelpGiven(
            help_id=uuid4(),
            site="skodje",
            department=Department.LIBRARY,
            category_id="digital-help",
            channel="in_person",
            duration="under_5_minutes",
            referred_to=Department.LIBRARY,
            given_at=datetime(2026, 11, 30, 9, tzinfo=UTC),
        )


def test_desk_events_travel_on_the_desk_subjects() -> None:
    assert event_subject(HelpGiven) == "desk.help.help_given"
    assert event_subject(HelpUndone) == "desk.help.help_undone"
    assert event_subject(CategoryAdded) == "desk.category.category_added"
