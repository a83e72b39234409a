"""Typed errors of the event store."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID


class EventStoreError(Exception):
    """Base of the event store's errors."""


class WrongExpectedVersion(EventStoreError):
    """The stream was not at the version the command was decided on; nothing was stored."""

    def __init__(self, stream_id: str, expected: int | None, actual: int) -> None:
        super().__init__(
            f"stream {stream_id!r} is at version {actual}, the append expected {expected}"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class DuplicateEventId(EventStoreError):
    """An event id of the append is already stored somewhere else; nothing was stored."""

    def __init__(self, stream_id: str, event_ids: Sequence[UUID]) -> None:
        super().__init__(
            f"append to {stream_id!r} reuses event ids stored elsewhere: "
            + ", ".join(str(i) for i in event_ids)
        )
        self.stream_id = stream_id
        self.event_ids = tuple(event_ids)


class EventStoreClosed(EventStoreError):
    """The store is closing or closed: the append was not taken, or its outcome is unknown."""
