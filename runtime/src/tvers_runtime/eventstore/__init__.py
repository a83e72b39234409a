"""The event store: append with optimistic concurrency, read a stream, tail the global log."""

from tvers_runtime.eventstore.errors import (
    DuplicateEventId,
    EventStoreClosed,
    EventStoreError,
    WrongExpectedVersion,
)
from tvers_runtime.eventstore.memory import InMemoryEventStore
from tvers_runtime.eventstore.model import (
    LOG_START,
    AppendResult,
    LogPosition,
    NewEvent,
    StoredEvent,
    WireEvent,
)
from tvers_runtime.eventstore.postgres import MIGRATIONS, NOTIFY_CHANNEL, PostgresEventStore
from tvers_runtime.eventstore.store import ANY_VERSION, NO_STREAM, EventStore
from tvers_runtime.eventstore.validation import InvalidAppend

__all__ = [
    "ANY_VERSION",
    "LOG_START",
    "MIGRATIONS",
    "NOTIFY_CHANNEL",
    "NO_STREAM",
    "AppendResult",
    "DuplicateEventId",
    "EventStore",
    "EventStoreClosed",
    "EventStoreError",
    "InMemoryEventStore",
    "InvalidAppend",
    "LogPosition",
    "NewEvent",
    "PostgresEventStore",
    "StoredEvent",
    "WireEvent",
    "WrongExpectedVersion",
]
