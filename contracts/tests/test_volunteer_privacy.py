"""No volunteers event can carry a volunteer's name, contact details or birth date or year: every
field of every version, nested ones included, is checked by name and by type through the JSON
Schemas the registry generates (what a third party sees)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

import pytest
from pydantic import BaseModel, StringConstraints, TypeAdapter, ValidationError

from tvers_contracts import REGISTRY, DomainEvent
from tvers_contracts.events.volunteers import CampaignPlace

#: Fragments of a field name that would hold personal data (English and Norwegian).
PERSONAL = (
    "name", "navn", "phone", "telefon", "mobile", "mobil", "mail", "epost", "address", "adresse",
    "contact", "kontakt", "birth", "born", "fodsel", "fødsel", "dob", "year", "ssn", "personnummer",
)  # fmt: skip
#: Dates a volunteers event may carry, and what they are: never a birth date.
ALLOWED_DATES = {
    "shown_on": "the date staff saw a police certificate",
    "completed_on": "the date the introduction was completed",
    # A certificate states the period it covers; a period is chosen by whoever issues it (at
    # most five years, ending no later than the day of issue), not a fact about the person.
    "period_from": "the first day of the period a certificate covers",
    "period_to": "the last day of the period a certificate covers",
    "starts_on": "the first day of a recruitment campaign (a public event, not a person's)",
    "ends_on": "the planned last day of a recruitment campaign",
    "ended_on": "the day a recruitment campaign was ended early",
}
#: Integers a volunteers event may carry above a birth year's range, and what they count: a
#: certificate's minutes reach years' worth of numbers (a year of two-hour shifts a week is
#: 6240), so no maximum can keep them below 1900; the name says it is a count, not a year.
ALLOWED_COUNTS = {
    "minutes_served": "the minutes a certificate states were served in its period",
}
#: Text a volunteers event may carry although it reads like a name, and what it is. It must still
#: be bounded, and refuse an e-mail address and a phone number.
ALLOWED_TEXT = {
    "place": "where a recruitment campaign was held (Moa Amfi, Spjelkavik vgs): a place, which "
    "a pattern cannot tell from a person's name",
}
#: The longest text allowed by ``ALLOWED_TEXT``.
LONGEST_ALLOWED_TEXT = 80
#: Text a free string could hold.
A_NAME, AN_EMAIL, A_PHONE = "Kari Nordmann", "kari.nordmann@example.no", "+47 912 34 567"
#: A birth year is at least this; an integer field must not reach it.
A_BIRTH_YEAR = 1900
SAFE_FORMATS = {"uuid", "date-time"}

VOLUNTEER_EVENTS = [c for c in REGISTRY.all_classes() if c.service == "volunteers"]


def fields(event_class: type[BaseModel]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every field of an event's payload, nested models included, as (path, JSON Schema)."""
    schema = event_class.model_json_schema()
    definitions = schema.get("$defs", {})

    def walk(path: str, node: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        if "$ref" in node:
            node = definitions[node["$ref"].rsplit("/", 1)[-1]]
        for choice in node.get("anyOf", []):
            yield from walk(path, choice)
        if "items" in node:
            yield from walk(path, node["items"])
        for name, child in node.get("properties", {}).items():
            yield f"{path}.{name}", child
            yield from walk(f"{path}.{name}", child)
        if "type" in node or "enum" in node:
            yield path, node

    yield from walk(event_class.__name__, schema)


def problems(event_class: type[BaseModel]) -> list[str]:
    """What in an event could hold a volunteer's personal data."""
    found = []
    for path, node in fields(event_class):
        leaf = path.rsplit(".", 1)[-1].lower()
        if any(fragment in leaf for fragment in PERSONAL):
            found.append(f"{path}: the name suggests personal data")
        kind, fmt = node.get("type"), node.get("format")
        if kind == "string" and "enum" not in node and "const" not in node:
            if fmt == "date" and leaf not in ALLOWED_DATES:
                found.append(f"{path}: a date that is not one of {sorted(ALLOWED_DATES)}")
            elif fmt is None and leaf in ALLOWED_TEXT:
                found += _allowed_text_problems(path, node)
            elif fmt is None and not _refuses_personal_text(node.get("pattern")):
                found.append(f"{path}: free text")
            elif fmt not in (None, "date", *SAFE_FORMATS):
                found.append(f"{path}: a string of format {fmt}")
        if (
            kind == "integer"
            and node.get("maximum", A_BIRTH_YEAR) >= A_BIRTH_YEAR
            and leaf not in ALLOWED_COUNTS
        ):
            found.append(f"{path}: an integer that could hold a year")
    return found


def _refuses_personal_text(pattern: str | None) -> bool:
    if pattern is None:
        return False
    return not any(re.search(pattern, text) for text in (A_NAME, AN_EMAIL, A_PHONE))


def _allowed_text_problems(path: str, node: dict[str, Any]) -> list[str]:
    """An allowed text field may read like a name, but it is bounded and refuses contacts."""
    found = []
    if node.get("maxLength", LONGEST_ALLOWED_TEXT + 1) > LONGEST_ALLOWED_TEXT:
        found.append(f"{path}: text longer than {LONGEST_ALLOWED_TEXT} characters")
    pattern = node.get("pattern")
    if pattern is None or any(re.search(pattern, text) for text in (AN_EMAIL, A_PHONE)):
        found.append(f"{path}: text that could hold an e-mail address or a phone number")
    return found


@pytest.mark.parametrize("event_class", VOLUNTEER_EVENTS, ids=lambda c: f"{c.__name__}")
def test_no_volunteers_event_has_a_field_that_could_hold_personal_data(
    event_class: type[DomainEvent],
) -> None:
    assert problems(event_class) == []


def test_every_volunteers_event_version_is_checked() -> None:
    names = {c.event_type() for c in VOLUNTEER_EVENTS}
    assert {"VolunteerRegistered", "PoliceCertificateShown", "VolunteerErased"} <= names
    assert {"CampaignRecorded", "CampaignCorrected", "CampaignEnded"} <= names
    assert len(VOLUNTEER_EVENTS) >= 25  # the events of issue 8, and ShiftPublished v1


class _Careless(DomainEvent):
    service: ClassVar[str] = "volunteers"
    aggregate: ClassVar[str] = "volunteer"

    full_name: str
    note: str
    born: int
    joined_on: dt.date


class _CarelessPlace(DomainEvent):
    service: ClassVar[str] = "volunteers"
    aggregate: ClassVar[str] = "campaign"

    place: str


class _LongPlace(DomainEvent):
    service: ClassVar[str] = "volunteers"
    aggregate: ClassVar[str] = "campaign"

    place: Annotated[str, StringConstraints(max_length=500, pattern=r"^[^@0-9]*$")]


class _Nested(BaseModel):
    e_mail: str


class _CarelessNested(DomainEvent):
    service: ClassVar[str] = "volunteers"
    aggregate: ClassVar[str] = "volunteer"

    people: list[_Nested]


def test_the_check_finds_names_free_text_years_and_nested_contacts() -> None:
    found = problems(_Careless)
    assert any("full_name" in p for p in found)
    assert any(p.endswith(".note: free text") for p in found)
    assert any(".born" in p for p in found)
    assert any(".joined_on: a date that is not" in p for p in found)
    assert any("people.e_mail" in p for p in problems(_CarelessNested))


def test_the_check_holds_an_allowed_place_to_its_bounds_and_to_refusing_contacts() -> None:
    assert set(problems(_CarelessPlace)) == {
        "_CarelessPlace.place: text longer than 80 characters",
        "_CarelessPlace.place: text that could hold an e-mail address or a phone number",
    }
    assert set(problems(_LongPlace)) == {"_LongPlace.place: text longer than 80 characters"}


@pytest.mark.parametrize(
    "place",
    [AN_EMAIL, A_PHONE, "91234567", "tlf 912 34 567", "kari(at)example.no@", "Moa\nAmfi"],
)
def test_a_campaign_place_refuses_contacts_and_control_characters(place: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(CampaignPlace).validate_python(place)


@pytest.mark.parametrize(
    "place",
    ["Moa Amfi", "Spjelkavik vgs", "Sunnmørsposten", "Kremmergaarden, 2. etg.", "6009 Ålesund"],
)
def test_a_campaign_place_takes_short_place_names(place: str) -> None:
    assert TypeAdapter(CampaignPlace).validate_python(place) == place
