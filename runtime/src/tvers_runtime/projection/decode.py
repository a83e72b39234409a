"""Decoding stream messages for a projection: no database, never raises.

A message the projection does not handle is left undecoded. Anything that goes wrong while
decoding a handled one (an invalid envelope, an unknown version, an upcaster that raises) is kept
with the message as its ``failure``: the apply step dead-letters it for its stream alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from pydantic import ValidationError

from tvers_contracts import DomainEvent, Envelope, EventRegistry, RawEnvelope
from tvers_runtime.projection.projection import Projection
from tvers_runtime.projection.reader import StreamMessage


@dataclass(slots=True)
class Decoded:
    """One message and what could be read from it."""

    message: StreamMessage
    ignored: bool = False  # not an event this projection handles
    stream_id: str | None = None
    version: int = 0
    envelope: Envelope[DomainEvent] | None = None
    correlation_id: UUID | None = None
    event_id: UUID | None = None
    event_type: str | None = None
    failure: str | None = None


#: The largest stream version a read model records (``_stream_versions.version`` is an integer).
INT32_MAX = 2**31 - 1


def decode_messages(
    messages: Sequence[StreamMessage], projection: Projection, registry: EventRegistry
) -> list[Decoded]:
    """Decode what the projection handles; a failure stays with its message."""
    kinds: dict[str, _Kind | None] = {}
    decoded = []
    for message in messages:
        kind = kinds.get(message.subject, _UNSEEN)
        if kind is _UNSEEN:
            kind = kinds[message.subject] = _kind(message.subject, projection, registry)
        decoded.append(
            _recordable(_decode(message, kind, registry))
            if kind
            else Decoded(message, ignored=True)
        )
    return decoded


def _recordable(item: Decoded) -> Decoded:
    """Make a message the read model could not even record (a stream id PostgreSQL's text cannot
    hold, a version beyond its integer) a failure of its own, so that it is dead-lettered rather
    than fail its whole batch over and over."""
    if item.stream_id is not None and not _storable(item.stream_id):
        item.stream_id, item.envelope = None, None
        item.failure = item.failure or "the stream id cannot be stored (a NUL character)"
    if item.version > INT32_MAX:
        item.envelope = None
        item.failure = item.failure or f"stream_version {item.version} is beyond {INT32_MAX}"
    return item


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class _Kind:
    """What a subject carries, as this projection reads it."""

    event_type: str
    schema_version: int
    envelope: type[Envelope[Any]]


_UNSEEN = _Kind("", 0, Envelope)


def _kind(subject: str, projection: Projection, registry: EventRegistry) -> _Kind | None:
    """The event a subject carries, if the projection handles it."""
    event_class = registry.for_subject(subject)
    if event_class is None or event_class.event_type() not in projection.handles:
        return None  # not for this projection, or unknown to it
    return _Kind(
        event_class.event_type(), event_class.schema_version, registry.envelope_of(event_class)
    )


def _decode(message: StreamMessage, kind: _Kind, registry: EventRegistry) -> Decoded:
    item = Decoded(message, event_type=kind.event_type)
    try:  # the common case in one pass: the current version of the subject's event
        envelope = kind.envelope.model_validate_json(message.data)
    except ValidationError:
        envelope = None
    if (
        envelope is not None
        and envelope.event_type == kind.event_type
        and envelope.schema_version == kind.schema_version
    ):
        item.envelope = cast("Envelope[DomainEvent]", envelope)
        item.stream_id, item.version = envelope.stream_id, envelope.stream_version
        item.correlation_id, item.event_id = envelope.correlation_id, envelope.event_id
        return item
    try:  # an older version to upcast, or something wrong to describe precisely
        raw = RawEnvelope.model_validate_json(message.data)
    except ValidationError as error:
        item.failure = f"not a valid envelope: {error.errors()[0]['msg']}"
        item.stream_id = _stream_id_of_garbage(message.data)
        return item
    item.stream_id, item.version = raw.stream_id, raw.stream_version
    item.correlation_id, item.event_id = raw.correlation_id, raw.event_id
    try:
        item.envelope = registry.decode_envelope(raw)
    except Exception as error:  # any failure here is this message's alone
        # Contract errors, and whatever an upcaster raises (a TypeError, a KeyError ...).
        item.failure = f"cannot decode: {type(error).__name__}: {error}"
    return item


def _stream_id_of_garbage(data: bytes) -> str | None:
    """The stream id of a message whose envelope is invalid, if it can be read at all."""
    try:
        document = json.loads(data)
    except ValueError:
        return None
    stream_id = document.get("stream_id") if isinstance(document, dict) else None
    return stream_id if isinstance(stream_id, str) else None
