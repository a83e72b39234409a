from typing import Any, ClassVar

import pytest

from tvers_contracts import (
    REGISTRY,
    DomainEvent,
    EventRegistry,
    InvalidPayload,
    UnknownEventType,
    UnsupportedSchemaVersion,
    event_subject,
    stream_name,
)
from tvers_contracts.errors import DuplicateRegistration


class ParcelSentV1(DomainEvent):
    service: ClassVar[str] = "post"
    aggregate: ClassVar[str] = "parcel"
    type_name: ClassVar[str | None] = "ParcelSent"

    weight: int


class ParcelSentV2(DomainEvent):
    service: ClassVar[str] = "post"
    aggregate: ClassVar[str] = "parcel"
    type_name: ClassVar[str | None] = "ParcelSent"
    schema_version: ClassVar[int] = 2

    weight_grams: int


class ParcelSent(DomainEvent):
    service: ClassVar[str] = "post"
    aggregate: ClassVar[str] = "parcel"
    schema_version: ClassVar[int] = 3

    weight_grams: int
    tracked: bool


def parcel_registry() -> EventRegistry:
    registry = EventRegistry([ParcelSentV1, ParcelSentV2, ParcelSent])

    @registry.upcaster("ParcelSent", from_version=1)
    def kilos_to_grams(payload: dict[str, Any]) -> dict[str, Any]:
        return {"weight_grams": payload["weight"] * 1000}

    @registry.upcaster("ParcelSent", from_version=2)
    def untracked_by_default(payload: dict[str, Any]) -> dict[str, Any]:
        return {**payload, "tracked": False}

    return registry


def test_an_old_payload_is_upcast_step_by_step_to_the_current_version() -> None:
    event = parcel_registry().decode("ParcelSent", 1, {"weight": 2})
    assert event == ParcelSent(weight_grams=2000, tracked=False)


def test_the_current_version_is_decoded_as_it_is() -> None:
    event = parcel_registry().decode("ParcelSent", 3, {"weight_grams": 5, "tracked": True})
    assert event == ParcelSent(weight_grams=5, tracked=True)


def test_fields_a_reader_does_not_know_are_ignored() -> None:
    event = parcel_registry().decode(
        "ParcelSent", 3, {"weight_grams": 5, "tracked": True, "colour": "red"}
    )
    assert event == ParcelSent(weight_grams=5, tracked=True)


def test_a_version_newer_than_the_reader_knows_is_a_typed_error() -> None:
    with pytest.raises(UnsupportedSchemaVersion, match="newer"):
        parcel_registry().decode("ParcelSent", 4, {})


def test_a_missing_upcaster_is_a_typed_error() -> None:
    registry = EventRegistry([ParcelSentV1, ParcelSent])
    with pytest.raises(UnsupportedSchemaVersion, match="no upcaster"):
        registry.decode("ParcelSent", 1, {"weight": 1})


def test_an_unknown_event_type_is_a_typed_error() -> None:
    with pytest.raises(UnknownEventType):
        parcel_registry().decode("ParcelLost", 1, {})


def test_a_payload_that_does_not_fit_is_a_typed_error() -> None:
    with pytest.raises(InvalidPayload, match="weight_grams"):
        parcel_registry().decode("ParcelSent", 3, {"weight_grams": "heavy", "tracked": True})


def test_a_stored_payload_is_decoded_from_its_json_text_as_from_the_parsed_object() -> None:
    registry = parcel_registry()
    assert registry.decode_json(
        "ParcelSent", 3, '{"weight_grams": 5, "tracked": true, "colour": "red"}'
    ) == registry.decode("ParcelSent", 3, {"weight_grams": 5, "tracked": True})
    assert registry.decode_json("ParcelSent", 1, '{"weight": 2}') == ParcelSent(
        weight_grams=2000, tracked=False
    )
    with pytest.raises(InvalidPayload, match="weight_grams"):
        registry.decode_json("ParcelSent", 3, '{"weight_grams": "heavy", "tracked": true}')


def test_two_classes_cannot_claim_the_same_name_and_version() -> None:
    class Impostor(DomainEvent):
        service: ClassVar[str] = "post"
        aggregate: ClassVar[str] = "parcel"
        type_name: ClassVar[str | None] = "ParcelSent"
        schema_version: ClassVar[int] = 3

    with pytest.raises(DuplicateRegistration):
        EventRegistry([ParcelSent, Impostor])


def test_subjects_and_streams_are_built_from_the_event_class() -> None:
    assert event_subject(ParcelSent) == "post.parcel.parcel_sent"
    assert event_subject(ParcelSentV1) == "post.parcel.parcel_sent"
    assert stream_name("access") == "ACCESS"


def test_every_published_event_has_a_unique_subject() -> None:
    classes = REGISTRY.all_classes()
    subjects = {event_subject(c) for c in classes if c is REGISTRY.current(c.event_type())}
    assert len(subjects) == len({c.event_type() for c in classes})
