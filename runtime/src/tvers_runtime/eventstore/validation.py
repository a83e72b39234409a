"""Everything PostgreSQL would refuse in an append, refused before the append joins a group
commit: one bad request must not fail the others written in the same transaction.

The checks mirror the table's types and constraints (``0001_events.sql``) and what every consumer
relies on (the envelope in ``tvers_contracts``): text without NUL and encodable as UTF-8, a
payload that is one JSON object in strict JSON (no NaN or Infinity, no lone surrogate), versions
within ``integer``, aware times, distinct event ids, and a municipality number as the tenant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

import orjson

from tvers_runtime.eventstore.errors import EventStoreError
from tvers_runtime.eventstore.model import JsonObject, NewEvent

INT32_MAX = 2**31 - 1
MAX_STREAM_ID = 200  # as the envelope's stream_id; a btree key must stay well under 2.7 kB
MAX_EVENT_TYPE = 200
_TENANT = re.compile(r"[0-9]{4}")


class InvalidAppend(EventStoreError, ValueError):
    """The append would be refused by the database or break its consumers; nothing was stored."""


def _text(value: object, what: str, longest: int) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidAppend(f"{what} must be non-empty text")
    if len(value) > longest:
        raise InvalidAppend(f"{what} is longer than {longest} characters")
    _storable(value, what)


def _storable(value: str, what: str) -> None:
    if "\x00" in value:
        raise InvalidAppend(f"{what} must not contain NUL characters")
    try:
        value.encode()
    except UnicodeEncodeError as error:
        raise InvalidAppend(f"{what} is not valid Unicode (a lone surrogate)") from error


def _payload(text: str) -> None:
    if type(text) is JsonObject:
        return  # serialised by a model: one JSON object by construction
    if not isinstance(text, str):
        raise InvalidAppend("payload_json must be text")
    try:
        # Strict JSON (RFC 8259), stricter than PostgreSQL's json where it matters to readers:
        # no NaN or Infinity, no NUL character, no lone surrogate, escaped or not.
        document = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise InvalidAppend(f"payload_json is not valid JSON: {error}") from error
    if not isinstance(document, dict):
        raise InvalidAppend("payload_json must be a JSON object")


def _instant(occurred_at: object) -> None:
    if not isinstance(occurred_at, datetime) or occurred_at.utcoffset() is None:
        raise InvalidAppend("occurred_at must be an aware datetime")
    try:
        # The driver sends it in UTC: 9999-12-31 23:00-05:00 is in year 10000 there.
        occurred_at.astimezone(UTC)
    except OverflowError as error:
        raise InvalidAppend("occurred_at is out of range once in UTC") from error


def validate_append(
    stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
) -> None:
    """Raise :class:`InvalidAppend` for anything the database or a consumer would refuse."""
    if not events:
        raise InvalidAppend("an append needs at least one event")
    _text(stream_id, "stream_id", MAX_STREAM_ID)
    if expected_version is not None and not 0 <= expected_version <= INT32_MAX - len(events):
        raise InvalidAppend("expected_version is a version (0 for a new stream) or ANY_VERSION")
    # The values events of one append share are checked once each.
    for event_type in {event.event_type for event in events}:
        _text(event_type, "event_type", MAX_EVENT_TYPE)
    for tenant in {event.tenant for event in events}:
        if not isinstance(tenant, str) or not _TENANT.fullmatch(tenant):
            raise InvalidAppend("tenant must be a four-digit municipality number")
    for version in {event.schema_version for event in events}:
        if type(version) is not int or not 1 <= version <= INT32_MAX:
            raise InvalidAppend("schema_version must be a whole number from 1")
    ids: set[UUID] = set()
    for event in events:
        _instant(event.occurred_at)
        if not isinstance(event.event_id, UUID) or not isinstance(event.correlation_id, UUID):
            raise InvalidAppend("event_id and correlation_id must be UUIDs")
        if event.causation_id is not None and not isinstance(event.causation_id, UUID):
            raise InvalidAppend("causation_id must be a UUID or None")
        ids.add(event.event_id)
        _payload(event.payload_json)
    if len(ids) != len(events):
        raise InvalidAppend("an event id appears twice in one append")
