"""Applying a batch of decoded messages to a read model, exactly once in effect.

Runs inside the caller's transaction, with the search path on the read model's schema, and waits
on nothing but the database: no sleeps and no retries here (a transaction that has written holds
back every gap-safe reader on the server while it lives). Each message, in order, meets one fate:

- ``ignored``: not an event this projection handles, or one an operator chose to skip;
- ``repeat``: at or below its stream's last applied version, so seen before;
- ``dead``: it cannot be decoded, or applying it failed; it goes to the dead letters with the
  reason, and its stream is blocked;
- ``parked``: a later message of a blocked stream waits behind the dead one, so no stream is ever
  applied out of order, while other streams go on;
- ``applied``.

The events to apply are applied all at once (one call of the projection). If that fails with a
deterministic error, they are applied one at a time, each in a savepoint, so that only the
failing event is dead-lettered. A *transient* error (a deadlock, a lost connection ...) is raised
to the caller, which rolls back and tries the batch again later: it never becomes a dead letter.

In strict mode (rebuilds) nothing is dead-lettered: the first message that fails stops everything
(:class:`RebuildHalted`), so a rebuilt read model is never silently incomplete.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import structlog

from tvers_contracts import DomainEvent, Envelope
from tvers_runtime.db.errors import is_transient
from tvers_runtime.db.types import Connection
from tvers_runtime.logging import correlation
from tvers_runtime.projection.decode import Decoded
from tvers_runtime.projection.projection import Projection

log = structlog.get_logger(__name__)
PARKED = "parked behind an earlier failure of its stream"


class RebuildHalted(Exception):
    """A message could not be applied during a rebuild; the rebuild stops and swaps nothing."""

    def __init__(self, source: str, sequence: int, reason: str) -> None:
        super().__init__(f"{source} #{sequence}: {reason}")
        self.source = source
        self.sequence = sequence
        self.reason = reason


class Fate(StrEnum):
    """What became of one message."""

    IGNORED = "ignored"
    REPEAT = "repeat"
    DEAD = "dead"
    PARKED = "parked"
    APPLIED = "applied"


@dataclass
class ApplyReport:
    """What became of a batch."""

    applied: int = 0
    dead_lettered: int = 0
    parked: int = 0
    #: Streams whose event failed to *apply* in this batch: worth trying again, later, outside
    #: this transaction (a message that cannot be decoded never will be).
    failed_streams: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Known:
    """What the read model knew of the batch's streams before the batch."""

    versions: dict[str, int]
    blocked: dict[str, int]  # stream -> the dead message it waits behind
    skipped: frozenset[int]


@dataclass
class _Plan:
    """The fates decided so far, and what they change; starts from what was known."""

    source: str
    strict: bool
    known: Known
    versions: dict[str, int] = field(init=False)
    blocked: dict[str, int] = field(init=False)
    to_apply: list[Decoded] = field(default_factory=list)
    dead: list[tuple[Decoded, str, int | None]] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    report: ApplyReport = field(default_factory=ApplyReport)

    def __post_init__(self) -> None:
        self.versions = dict(self.known.versions)
        self.blocked = dict(self.known.blocked)

    def fate(self, item: Decoded) -> Fate:
        """The fate of the next message, if applying it succeeds."""
        if item.ignored or item.message.sequence in self.known.skipped:
            return Fate.IGNORED
        if item.stream_id in self.blocked:
            return Fate.PARKED
        if item.failure is not None:
            return Fate.DEAD
        if item.version <= self.versions.get(item.stream_id or "", 0):
            return Fate.REPEAT
        return Fate.APPLIED

    def record(self, item: Decoded, fate: Fate, reason: str | None = None) -> None:
        """Keep a decided fate (``reason`` for a dead message)."""
        stream = item.stream_id or ""
        if fate is Fate.APPLIED:
            self.to_apply.append(item)
            self.versions[stream] = item.version
            self.changed.add(stream)
            self.report.applied += 1
        elif fate is Fate.PARKED:
            self.dead.append((item, PARKED, self.blocked[stream]))
            self.report.parked += 1
        elif fate is Fate.DEAD:
            self._dead(item, reason or item.failure or "unknown failure")

    def _dead(self, item: Decoded, reason: str) -> None:
        if self.strict:
            raise RebuildHalted(self.source, item.message.sequence, reason)
        self.dead.append((item, reason, None))
        self.report.dead_lettered += 1
        if item.stream_id:
            self.blocked[item.stream_id] = item.message.sequence
            if item.failure is None:  # it decoded: applying it may work another time
                self.report.failed_streams.add(item.stream_id)
        with correlation(item.correlation_id or "-"):
            log.error(
                "projection_dead_letter",
                source=self.source,
                sequence=item.message.sequence,
                stream_id=item.stream_id,
                reason=reason,
            )


async def apply_messages(
    connection: Connection,
    projection: Projection,
    source: str,
    items: Sequence[Decoded],
    *,
    strict: bool = False,
) -> ApplyReport:
    """Apply decoded messages (in stream order); see the module docstring."""
    if not items:
        return ApplyReport()
    known = await _load_known(connection, projection.name, source, items, strict=strict)
    plan = _Plan(source, strict, known)
    for item in items:
        plan.record(item, plan.fate(item))
    failure = await _apply(connection, projection, plan.to_apply, savepoint=not strict)
    if failure is not None:
        if strict:
            raise RebuildHalted(source, plan.to_apply[0].message.sequence, failure)
        log.warning("projection_batch_failed_isolating", source=source, size=len(plan.to_apply))
        plan = _Plan(source, strict, known)
        for item in items:
            fate = plan.fate(item)
            failure = None
            if fate is Fate.APPLIED:
                failure = await _apply(connection, projection, [item], savepoint=True)
            plan.record(item, Fate.DEAD if failure else fate, failure)
    _log_applied(plan.to_apply)
    await _save(connection, plan)
    return plan.report


async def _apply(
    connection: Connection, projection: Projection, items: list[Decoded], *, savepoint: bool
) -> str | None:
    """Apply events; the reason if that failed deterministically (a transient error is raised)."""
    envelopes: list[Envelope[DomainEvent]] = [i.envelope for i in items if i.envelope is not None]
    if not envelopes:
        return None
    try:
        if savepoint:
            async with connection.transaction():
                await projection.apply(connection, envelopes)
        else:
            await projection.apply(connection, envelopes)
    except Exception as error:
        if is_transient(error):
            raise
        return f"apply failed: {type(error).__name__}: {error}"
    return None


def _log_applied(items: list[Decoded]) -> None:
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


_LOAD_KNOWN = """
    SELECT 'version', stream_id, version::bigint FROM _stream_versions
    WHERE source = $1 AND stream_id = ANY($2::text[])
    UNION ALL
    SELECT 'blocked', stream_id, min(sequence) FROM _dead_letters
    WHERE $3 AND source = $1 AND stream_id = ANY($2::text[]) GROUP BY stream_id
    UNION ALL
    SELECT 'skipped', NULL, sequence FROM public.projection_skips
    WHERE projection = $4 AND source = $1 AND sequence BETWEEN $5 AND $6
"""


async def _load_known(
    connection: Connection,
    projection_name: str,
    source: str,
    items: Sequence[Decoded],
    *,
    strict: bool,
) -> Known:
    """What the read model knows of the batch's streams, in one round trip."""
    streams = list({item.stream_id for item in items if item.stream_id and not item.ignored})
    rows = await connection.fetch(
        _LOAD_KNOWN,
        source,
        streams,
        not strict,
        projection_name,
        items[0].message.sequence,
        items[-1].message.sequence,
    )
    versions: dict[str, int] = {}
    blocked: dict[str, int] = {}
    skipped: set[int] = set()
    for kind, stream_id, value in rows:
        if kind == "version":
            versions[stream_id] = value
        elif kind == "blocked":
            blocked[stream_id] = value
        else:
            skipped.add(value)
    return Known(versions, blocked, frozenset(skipped))


def _storable_headers(headers: dict[str, str]) -> str:
    """The headers as JSON that ``jsonb`` takes: it refuses the NUL character, which a NATS header
    may carry."""
    return json.dumps(
        {k.replace("\x00", "\ufffd"): v.replace("\x00", "\ufffd") for k, v in headers.items()}
    )


async def _save(connection: Connection, plan: _Plan) -> None:
    if plan.changed:
        streams = sorted(plan.changed)
        await connection.execute(
            """
            INSERT INTO _stream_versions (source, stream_id, version)
            SELECT $1, s, v FROM unnest($2::text[], $3::int[]) AS t(s, v)
            ON CONFLICT (source, stream_id) DO UPDATE SET version = excluded.version
            """,
            plan.source,
            streams,
            [plan.versions[s] for s in streams],
        )
    if plan.dead:
        await connection.executemany(
            """
            INSERT INTO _dead_letters (source, sequence, subject, stream_id, event_id, event_type,
                                       headers, data, reason, parked_behind)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
            ON CONFLICT (source, sequence) DO NOTHING
            """,
            [
                (
                    plan.source,
                    item.message.sequence,
                    item.message.subject,
                    item.stream_id,
                    item.event_id,
                    item.event_type,
                    _storable_headers(item.message.headers),
                    item.message.data,
                    reason,
                    behind,
                )
                for item, reason, behind in plan.dead
            ],
        )
