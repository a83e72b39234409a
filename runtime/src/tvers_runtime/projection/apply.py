"""Applying a batch of stream messages to a read model, exactly once in effect.

Runs inside the caller's transaction, with the search path on the read model's schema. For every
message, in order:

- a message an operator chose to skip is passed over;
- a message that cannot be decoded is *poison*: it is dead-lettered with the reason, and its stream
  (when known) is blocked;
- a message of a blocked stream is *parked* behind the poison, so no stream is applied out of
  order, while other streams go on;
- a message at or below its stream's last seen version is a *repeat* and changes nothing;
- an event the projection does not handle is passed over without being decoded;
- the rest is applied. The whole batch is applied at once; if that fails, the batch is walked
  again one event at a time, so that only the failing event (after a few tries) is dead-lettered
  and the rest of its stream parked behind it.

In strict mode (rebuilds) nothing is dead-lettered: the first poison message stops everything, so
a rebuilt read model is never silently incomplete.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import cast
from uuid import UUID

import structlog
from pydantic import ValidationError

from tvers_contracts import ContractError, DomainEvent, Envelope, EventRegistry, RawEnvelope
from tvers_runtime.db.types import Connection
from tvers_runtime.logging import correlation
from tvers_runtime.projection.projection import Projection
from tvers_runtime.projection.reader import StreamMessage

log = structlog.get_logger(__name__)
PARKED = "parked behind an earlier failure of its stream"


class RebuildHalted(Exception):
    """A message could not be applied during a rebuild; the rebuild stops and swaps nothing."""

    def __init__(self, source: str, sequence: int, reason: str) -> None:
        super().__init__(f"{source} #{sequence}: {reason}")
        self.source = source
        self.sequence = sequence
        self.reason = reason


@dataclass
class ApplyReport:
    """What became of a batch."""

    applied: int = 0
    dead_lettered: int = 0
    parked: int = 0


@dataclass(slots=True)
class _Item:
    message: StreamMessage
    ignored: bool = False
    stream_id: str | None = None
    version: int = 0
    envelope: Envelope[DomainEvent] | None = None
    correlation_id: UUID | None = None
    event_id: UUID | None = None
    event_type: str | None = None
    failure: str | None = None


@dataclass
class _State:
    """What is known of the streams in a batch, and what the walk decided."""

    source: str
    strict: bool
    versions: dict[str, int] = field(default_factory=dict)
    blocked: dict[str, int] = field(default_factory=dict)  # stream -> poison it waits behind
    skipped: set[int] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    to_apply: list[_Item] = field(default_factory=list)
    dead_letters: list[tuple[_Item, str, int | None]] = field(default_factory=list)
    report: ApplyReport = field(default_factory=ApplyReport)


ApplyOne = Callable[[_Item], Awaitable[str | None]]


def _decode(message: StreamMessage, projection: Projection, registry: EventRegistry) -> _Item:
    """Decode a message the projection handles; leave the others undecoded (``ignored``)."""
    event_class = registry.for_subject(message.subject)
    if event_class is None or event_class.event_type() not in projection.handles:
        return _Item(message, ignored=True)  # not for this projection, or unknown to it
    item = _Item(message, event_type=event_class.event_type())
    try:  # the common case in one pass: the current version of the subject's event
        envelope = registry.envelope_of(event_class).model_validate_json(message.data)
    except ValidationError:
        envelope = None
    if (
        envelope is not None
        and envelope.event_type == event_class.event_type()
        and envelope.schema_version == event_class.schema_version
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
    except ContractError as error:
        item.failure = f"{type(error).__name__}: {error}"
    return item


def _stream_id_of_garbage(data: bytes) -> str | None:
    """The stream id of a message whose envelope is invalid, if it can be read at all."""
    try:
        document = json.loads(data)
    except ValueError:
        return None
    stream_id = document.get("stream_id") if isinstance(document, dict) else None
    return stream_id if isinstance(stream_id, str) else None


@dataclass(frozen=True)
class DecodedBatch:
    """Messages decoded for one projection, ready to apply (decoding needs no database)."""

    items: list[_Item]


def decode_messages(
    messages: Sequence[StreamMessage], projection: Projection, registry: EventRegistry
) -> DecodedBatch:
    """Decode what the projection handles; errors are kept with their message."""
    return DecodedBatch([_decode(m, projection, registry) for m in messages])


async def apply_messages(
    connection: Connection,
    projection: Projection,
    source: str,
    batch: DecodedBatch,
    *,
    strict: bool = False,
    max_attempts: int = 3,
) -> ApplyReport:
    """Apply a decoded batch (in stream order); see the module docstring."""
    items = batch.items
    if not items:
        return ApplyReport()
    state = await _load_state(connection, projection.name, source, items, strict=strict)
    await _walk(state, items, apply_one=None)
    envelopes = [item.envelope for item in state.to_apply if item.envelope is not None]
    try:
        if envelopes and strict:  # a failure stops everything: no savepoint needed
            await projection.apply(connection, envelopes)
        elif envelopes:
            async with connection.transaction():
                await projection.apply(connection, envelopes)
    except Exception as error:
        if strict:
            first = state.to_apply[0].message.sequence
            raise RebuildHalted(source, first, f"apply failed: {error!r}") from error
        log.warning("projection_batch_failed_isolating", source=source, size=len(envelopes))

        async def apply_one(item: _Item) -> str | None:
            return await _apply_with_retries(connection, projection, item, max_attempts)

        state = await _load_state(connection, projection.name, source, items, strict=strict)
        await _walk(state, items, apply_one=apply_one)
    else:
        state.report.applied = len(envelopes)
    _log_applied(state.to_apply)
    await _save_state(connection, state)
    return state.report


async def _walk(state: _State, items: list[_Item], apply_one: ApplyOne | None) -> None:
    """Decide each message's fate in order; with ``apply_one``, apply each event as it comes."""
    for item in items:
        if item.ignored or item.message.sequence in state.skipped:
            continue
        if item.failure is not None:
            _poison(state, item, item.failure)
            continue
        stream = item.stream_id or ""
        if stream in state.blocked:
            state.dead_letters.append((item, PARKED, state.blocked[stream]))
            state.report.parked += 1
            continue
        if item.version <= state.versions.get(stream, 0):
            continue  # a repeat: seen before
        if apply_one is None:
            state.to_apply.append(item)
        else:
            failure = await apply_one(item)
            if failure is not None:
                _poison(state, item, failure)
                continue
            state.to_apply.append(item)
            state.report.applied += 1
        state.versions[stream] = item.version
        state.changed.add(stream)


def _poison(state: _State, item: _Item, reason: str) -> None:
    if state.strict:
        raise RebuildHalted(state.source, item.message.sequence, reason)
    state.dead_letters.append((item, reason, None))
    state.report.dead_lettered += 1
    if item.stream_id:
        state.blocked[item.stream_id] = item.message.sequence
    with correlation(item.correlation_id or "-"):
        log.error(
            "projection_dead_letter",
            source=state.source,
            sequence=item.message.sequence,
            stream_id=item.stream_id,
            reason=reason,
        )


async def _apply_with_retries(
    connection: Connection, projection: Projection, item: _Item, max_attempts: int
) -> str | None:
    assert item.envelope is not None
    failure = "not attempted"
    for attempt in range(max_attempts):
        try:
            async with connection.transaction():
                await projection.apply(connection, [item.envelope])
        except Exception as error:
            failure = f"apply failed: {type(error).__name__}: {error}"
            await asyncio.sleep(0.05 * 2**attempt)
        else:
            return None
    return failure


def _log_applied(items: list[_Item]) -> None:
    # One line per event only when someone asked for debug logs: it costs more than applying.
    if not logging.getLogger(__name__).isEnabledFor(logging.DEBUG):
        return
    for item in items:
        if item.envelope is not None:
            with correlation(item.envelope.correlation_id):
                log.debug(
                    "event_projected",
                    event_type=item.envelope.event_type,
                    event_id=str(item.envelope.event_id),
                    stream_id=item.stream_id,
                )


_LOAD_STATE = """
    SELECT 'version', stream_id, version::bigint FROM _stream_versions
    WHERE source = $1 AND stream_id = ANY($2::text[])
    UNION ALL
    SELECT 'blocked', stream_id, min(sequence) FROM _dead_letters
    WHERE $3 AND source = $1 AND stream_id = ANY($2::text[]) GROUP BY stream_id
    UNION ALL
    SELECT 'skipped', NULL, sequence FROM public.projection_skips
    WHERE projection = $4 AND source = $1 AND sequence BETWEEN $5 AND $6
"""


async def _load_state(
    connection: Connection,
    projection_name: str,
    source: str,
    items: list[_Item],
    *,
    strict: bool,
) -> _State:
    """What the read model knows of the batch's streams, in one round trip."""
    state = _State(source, strict)
    streams = list({item.stream_id for item in items if item.stream_id and not item.ignored})
    rows = await connection.fetch(
        _LOAD_STATE,
        source,
        streams,
        not strict,
        projection_name,
        items[0].message.sequence,
        items[-1].message.sequence,
    )
    for kind, stream_id, value in rows:
        if kind == "version":
            state.versions[stream_id] = value
        elif kind == "blocked":
            state.blocked[stream_id] = value
        else:
            state.skipped.add(value)
    return state


async def _save_state(connection: Connection, state: _State) -> None:
    if state.changed:
        streams = sorted(state.changed)
        await connection.execute(
            """
            INSERT INTO _stream_versions (source, stream_id, version)
            SELECT $1, s, v FROM unnest($2::text[], $3::int[]) AS t(s, v)
            ON CONFLICT (source, stream_id) DO UPDATE SET version = excluded.version
            """,
            state.source,
            streams,
            [state.versions[s] for s in streams],
        )
    if state.dead_letters:
        await connection.executemany(
            """
            INSERT INTO _dead_letters (source, sequence, subject, stream_id, event_id, event_type,
                                       headers, data, reason, parked_behind)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
            ON CONFLICT (source, sequence) DO NOTHING
            """,
            [
                (
                    state.source,
                    item.message.sequence,
                    item.message.subject,
                    item.stream_id,
                    item.event_id,
                    item.event_type,
                    json.dumps(item.message.headers),
                    item.message.data,
                    reason,
                    behind,
                )
                for item, reason, behind in state.dead_letters
            ],
        )
