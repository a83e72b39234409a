"""The event store's interface, shared by the PostgreSQL store and the in-memory one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Protocol
from uuid import UUID

from tvers_runtime.eventstore.model import AppendResult, LogPosition, NewEvent, StoredEvent

#: Expected version for appends that need no concurrency check (e.g. door presentations).
ANY_VERSION: Final = None
#: Expected version of a stream that must not exist yet.
NO_STREAM: Final = 0


class EventStore(Protocol):
    """Append-only streams of events with optimistic concurrency and a global log."""

    async def append(
        self, stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
    ) -> AppendResult:
        """Store events at the end of a stream, all or nothing.

        ``expected_version`` is the version the caller decided on (0 for a new stream), or
        :data:`ANY_VERSION`. Raises :class:`WrongExpectedVersion` when the stream has moved on
        and :class:`DuplicateEventId` when an event id is stored elsewhere. Repeating an append
        that succeeded, with the same event ids, succeeds again and stores nothing twice.
        """
        ...

    async def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[StoredEvent]:
        """The events of one stream after a version, in order."""
        ...

    async def read_streams(self, after: Mapping[str, int]) -> dict[str, list[StoredEvent]]:
        """The events of several streams, each after its own version, in order: one read for
        what a decision needs of several aggregates. Every stream asked for has an entry."""
        ...

    async def find_event(self, event_id: UUID) -> StoredEvent | None:
        """The event with this id, wherever it is stored."""
        ...

    async def read_all(self, after: LogPosition, *, limit: int = 1000) -> list[StoredEvent]:
        """Committed events after a log position, in log order, never skipping a late commit."""
        ...
