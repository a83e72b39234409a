"""The event registry: which class reads which event, and how old versions are upcast.

Events are stored and published at the schema version they were written with; published schemas
never change. A reader asks the registry to decode ``(event_type, schema_version, payload)``: the
payload is upcast step by step (v1 -> v2 -> ...) to the current version, then validated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, cast

from pydantic import ValidationError

from tvers_contracts.envelope import Envelope, RawEnvelope
from tvers_contracts.errors import (
    DuplicateRegistration,
    InvalidPayload,
    UnknownEventType,
    UnsupportedSchemaVersion,
)
from tvers_contracts.event import DomainEvent
from tvers_contracts.subjects import event_subject

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]


class EventRegistry:
    """Maps event names and versions to classes, and holds the upcasters between versions."""

    def __init__(self, events: Iterable[type[DomainEvent]] = ()) -> None:
        self._versions: dict[str, dict[int, type[DomainEvent]]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        self._by_subject: dict[str, type[DomainEvent]] | None = None
        self._envelopes: dict[type[DomainEvent], type[Envelope[Any]]] = {}
        for event_class in events:
            self.register(event_class)

    def register(self, event_class: type[DomainEvent]) -> type[DomainEvent]:
        """Add an event class (the current version or a kept older one)."""
        versions = self._versions.setdefault(event_class.event_type(), {})
        known = versions.get(event_class.schema_version)
        if known is not None and known is not event_class:
            raise DuplicateRegistration(
                f"{event_class.event_type()} v{event_class.schema_version} is already "
                f"registered as {known.__qualname__}"
            )
        versions[event_class.schema_version] = event_class
        self._by_subject = None
        return event_class

    def upcaster(self, event_type: str, *, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Register a function that turns a payload of ``from_version`` into the next version."""

        def add(function: Upcaster) -> Upcaster:
            key = (event_type, from_version)
            if key in self._upcasters:
                raise DuplicateRegistration(f"upcaster for {event_type} v{from_version} exists")
            self._upcasters[key] = function
            return function

        return add

    def current(self, event_type: str) -> type[DomainEvent]:
        """The class of the newest schema version of an event."""
        versions = self._versions.get(event_type)
        if not versions:
            raise UnknownEventType(event_type)
        return versions[max(versions)]

    def for_subject(self, subject: str) -> type[DomainEvent] | None:
        """The current class of the event published on ``subject``, if it is registered."""
        if self._by_subject is None:
            self._by_subject = {
                event_subject(versions[max(versions)]): versions[max(versions)]
                for versions in self._versions.values()
            }
        return self._by_subject.get(subject)

    def envelope_of(self, event_class: type[DomainEvent]) -> type[Envelope[Any]]:
        """The envelope model whose payload is ``event_class`` (built once, then cached)."""
        model = self._envelopes.get(event_class)
        if model is None:
            model = self._envelopes[event_class] = Envelope[event_class]  # type: ignore[valid-type]
        return model

    def all_classes(self) -> list[type[DomainEvent]]:
        """Every registered class, older versions included, in a stable order."""
        return [
            versions[version]
            for _, versions in sorted(self._versions.items())
            for version in sorted(versions)
        ]

    def decode(self, event_type: str, schema_version: int, payload: Payload) -> DomainEvent:
        """Upcast a stored payload to the current version and validate it."""
        target = self.current(event_type)
        upcast = self.upcast(event_type, schema_version, payload)
        try:
            return target.model_validate(upcast)
        except ValidationError as error:
            raise InvalidPayload(f"{event_type} v{schema_version}: {error}") from error

    def decode_json(self, event_type: str, schema_version: int, payload_json: str) -> DomainEvent:
        """:meth:`decode` a stored payload given as JSON text. At the current version the model
        parses the text itself, which takes a third of the time of parsing it to Python objects
        and validating those (a volunteer's year of shifts is some 800 events); an older one is
        parsed and upcast."""
        target = self.current(event_type)
        if schema_version != target.schema_version:
            return self.decode(event_type, schema_version, json.loads(payload_json))
        try:
            return target.model_validate_json(payload_json)
        except ValidationError as error:
            raise InvalidPayload(f"{event_type} v{schema_version}: {error}") from error

    def upcast(self, event_type: str, schema_version: int, payload: Payload) -> Payload:
        """Apply the upcasters from ``schema_version`` up to the current version."""
        target_version = self.current(event_type).schema_version
        if schema_version > target_version:
            raise UnsupportedSchemaVersion(
                f"{event_type} v{schema_version} is newer than this reader's "
                f"v{target_version}; upgrade the contracts package"
            )
        version = schema_version
        while version < target_version:
            step = self._upcasters.get((event_type, version))
            if step is None:
                raise UnsupportedSchemaVersion(f"no upcaster for {event_type} v{version}")
            payload = step(payload)
            version += 1
        return payload

    def decode_envelope(self, raw: RawEnvelope) -> Envelope[DomainEvent]:
        """Decode a raw envelope's payload; the envelope then says the current schema version."""
        event = self.decode(raw.event_type, raw.schema_version, raw.payload)
        # The metadata was validated with the raw envelope: copy it rather than validate again.
        decoded = raw.model_copy(
            update={"payload": event, "schema_version": type(event).schema_version}
        )
        return cast("Envelope[DomainEvent]", decoded)
