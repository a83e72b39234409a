"""What goes into the event store and what comes out of it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple
from uuid import UUID, uuid4

from tvers_contracts import DomainEvent, Envelope, EventRegistry, RawEnvelope


class LogPosition(NamedTuple):
    """A place in the store's global log: the writing transaction's id, then the position.

    Ordered as a tuple. A tailing reader keeps the position of the last event it has seen and asks
    for everything after it.
    """

    tx_id: int
    position: int


LOG_START = LogPosition(0, 0)


class JsonObject(str):
    """Text known to hold one JSON object: what a model's JSON serialiser made. The store need
    not parse it again to know the database will take it."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append, with its metadata; the store adds stream, version and record time."""

    event_type: str
    schema_version: int
    payload_json: str
    tenant: str
    correlation_id: UUID
    causation_id: UUID | None = None
    event_id: UUID = field(default_factory=uuid4)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def of(
        cls,
        event: DomainEvent,
        *,
        tenant: str,
        correlation_id: UUID,
        causation_id: UUID | None = None,
        event_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> NewEvent:
        """Wrap a domain event for appending."""
        return cls(
            event_type=event.event_type(),
            schema_version=event.schema_version,
            payload_json=JsonObject(event.model_dump_json()),
            tenant=tenant,
            correlation_id=correlation_id,
            causation_id=causation_id,
            event_id=event_id or uuid4(),
            occurred_at=occurred_at or datetime.now(UTC),
        )


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as committed: its envelope fields, payload as JSON text, and its log position."""

    log_position: LogPosition
    event_id: UUID
    event_type: str
    schema_version: int
    tenant: str
    stream_id: str
    stream_version: int
    occurred_at: datetime
    recorded_at: datetime
    correlation_id: UUID
    causation_id: UUID | None
    payload_json: str

    def raw_envelope(self) -> RawEnvelope:
        """The envelope with the payload as a plain dict."""
        payload: dict[str, Any] = json.loads(self.payload_json)
        return RawEnvelope(
            event_id=self.event_id,
            event_type=self.event_type,
            schema_version=self.schema_version,
            tenant=self.tenant,
            stream_id=self.stream_id,
            stream_version=self.stream_version,
            occurred_at=self.occurred_at,
            recorded_at=self.recorded_at,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
            payload=payload,
        )

    def decode_payload(self, registry: EventRegistry) -> DomainEvent:
        """The payload alone, upcast and decoded into its current event class: what a state
        needs to evolve, without the envelope's metadata validated and copied."""
        return registry.decode_json(self.event_type, self.schema_version, self.payload_json)

    def decode(self, registry: EventRegistry) -> Envelope[DomainEvent]:
        """The envelope with the payload upcast and decoded into its current event class."""
        return registry.decode_envelope(self.raw_envelope())


@dataclass(frozen=True, slots=True)
class WireEvent:
    """An event as published: where it is in the log, and the message body (the envelope)."""

    log_position: LogPosition
    event_id: UUID
    event_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class AppendResult:
    """The outcome of a successful append."""

    stream_id: str
    stream_version: int
    #: True when the very same events had been stored before (an idempotent repeat).
    already_stored: bool = False
