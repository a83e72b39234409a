"""An in-memory event store that behaves like the PostgreSQL one, for unit tests of services.

The same contract tests run against both (``runtime/tests/contract``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from tvers_runtime.eventstore.errors import DuplicateEventId, WrongExpectedVersion
from tvers_runtime.eventstore.model import AppendResult, LogPosition, NewEvent, StoredEvent
from tvers_runtime.eventstore.validation import validate_append


class InMemoryEventStore:
    """Event store held in a list; every append is its own transaction."""

    def __init__(self) -> None:
        self._log: list[StoredEvent] = []
        self._streams: dict[str, list[StoredEvent]] = {}
        self._by_id: dict[UUID, StoredEvent] = {}

    async def append(
        self, stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
    ) -> AppendResult:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.append`."""
        validate_append(stream_id, expected_version, events)
        stream = self._streams.get(stream_id, [])
        current = len(stream)
        expected = current if expected_version is None else expected_version
        if self._is_repeat(stream_id, expected_version, events):
            last = self._by_id[events[-1].event_id]
            return AppendResult(stream_id, last.stream_version, already_stored=True)
        reused = [e.event_id for e in events if e.event_id in self._by_id]
        if reused:
            raise DuplicateEventId(stream_id, reused)
        if current != expected:
            raise WrongExpectedVersion(stream_id, expected_version, current)
        tx_id = len(self._log) + 1
        now = datetime.now(UTC)
        for offset, event in enumerate(events, start=1):
            stored = StoredEvent(
                log_position=LogPosition(tx_id, len(self._log) + 1),
                event_id=event.event_id,
                event_type=event.event_type,
                schema_version=event.schema_version,
                tenant=event.tenant,
                stream_id=stream_id,
                stream_version=expected + offset,
                occurred_at=event.occurred_at,
                recorded_at=now,
                correlation_id=event.correlation_id,
                causation_id=event.causation_id,
                payload_json=event.payload_json,
            )
            self._log.append(stored)
            self._by_id[event.event_id] = stored
            self._streams.setdefault(stream_id, []).append(stored)
        return AppendResult(stream_id, expected + len(events))

    def _is_repeat(
        self, stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
    ) -> bool:
        stored = [self._by_id.get(e.event_id) for e in events]
        if any(s is None or s.stream_id != stream_id for s in stored):
            return False
        if expected_version is None:
            return True
        return all(
            s is not None and s.stream_version == expected_version + offset
            for offset, s in enumerate(stored, start=1)
        )

    async def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[StoredEvent]:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.read_stream`."""
        return [e for e in self._streams.get(stream_id, []) if e.stream_version > after_version]

    async def read_streams(self, after: Mapping[str, int]) -> dict[str, list[StoredEvent]]:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.read_streams`."""
        return {
            stream_id: await self.read_stream(stream_id, after_version=version)
            for stream_id, version in after.items()
        }

    async def find_event(self, event_id: UUID) -> StoredEvent | None:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.find_event`."""
        return self._by_id.get(event_id)

    async def read_all(self, after: LogPosition, *, limit: int = 1000) -> list[StoredEvent]:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.read_all`."""
        return [replace(e) for e in self._log if e.log_position > after][:limit]
