"""Everything PostgreSQL would refuse in an append, refused before the append joins a group
commit: one bad request must not fail the others written in the same transaction.

The checks mirror the table's types and constraints (``0001_events.sql``) and what every consumer
relies on (the envelope in ``tvers_contracts``): text without NUL and encodable as UTF-8, a
payload that is one JSON object as PostgreSQL's ``json`` reads it (no NaN or Infinity), versions
within ``integer``, aware times, distinct event ids, and a municipality number as the tenant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from tvers_runtime.eventstore.errors import EventStoreError
from tvers_runtime.eventstore.model import JsonObject, NewEvent

INT32_MAX = 2**31 - 1
MAX_STREAM_ID = 200  # as the envelope's stream_id; a btree key must stay well under 2.7 kB
MAX_EVENT_TYPE = 200
_TENANT = re.compile(r"\d{4}")


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


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _payload(text: str) -> None:
    if type(text) is JsonObject:
        return  # serialised by a model: one JSON object by construction
    if not isinstance(text, str):
        raise InvalidAppend("payload_json must be text")
    _storable(text, "payload_json")
    try:
        document = json.loads(text, parse_constant=_no_constants)
    except ValueError as error:
        raise InvalidAppend(f"payload_json is not valid JSON: {error}") from error
    if not isinstance(document, dict):
        raise InvalidAppend("payload_json must be a JSON object")


def validate_append(
    stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
) -> None:
    """Raise :class:`InvalidAppend` for anything the database or a consumer would refuse."""
    if not events:
        raise InvalidAppend("an append needs at least one event")
    _text(stream_id, "stream_id", MAX_STREAM_ID)
    if expected_version is not None and not 0 <= expected_version <= INT32_MAX - len(events):
        raise InvalidAppend("expected_version is a version (0 for a new stream) or ANY_VERSION")
    ids: set[UUID] = set()
    for event in events:
        _text(event.event_type, "event_type", MAX_EVENT_TYPE)
        if not isinstance(event.tenant, str) or not _TENANT.fullmatch(event.tenant):
            raise InvalidAppend("tenant must be a four-digit municipality number")
        if not isinstance(event.schema_version, int) or not 1 <= event.schema_version <= INT32_MAX:
            raise InvalidAppend("schema_version must be a whole number from 1")
        if not isinstance(event.occurred_at, datetime) or event.occurred_at.tzinfo is None:
            raise InvalidAppend("occurred_at must be an aware datetime")
        for value, what in (
            (event.event_id, "event_id"),
            (event.correlation_id, "correlation_id"),
        ):
            if not isinstance(value, UUID):
                raise InvalidAppend(f"{what} must be a UUID")
        if event.causation_id is not None and not isinstance(event.causation_id, UUID):
            raise InvalidAppend("causation_id must be a UUID or None")
        if event.event_id in ids:
            raise InvalidAppend(f"event id {event.event_id} appears twice in one append")
        ids.add(event.event_id)
        _payload(event.payload_json)
