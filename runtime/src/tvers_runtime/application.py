"""Running a command against an event-sourced aggregate: load, decide, append, retry.

The domain supplies three pure functions: ``initial`` state, ``evolve(state, event)``, and a
``decide(state)`` that returns new events or raises a :class:`~tvers_runtime.domain.DomainError`.
This module does the I/O around them. A command is retried when another writer changed the stream
in between; a command sent again with the same idempotency key (a client retrying after a
timeout) returns what the first one did and stores nothing twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from tvers_contracts import DomainEvent, EventRegistry
from tvers_runtime.domain import DomainError
from tvers_runtime.eventstore import (
    ANY_VERSION,
    DuplicateEventId,
    EventStore,
    NewEvent,
    WrongExpectedVersion,
)

S = TypeVar("S")
Evolve = Callable[[S, DomainEvent], S]
Decide = Callable[[S], Sequence[DomainEvent]]

_IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1b3e3c-5d1a-4c2e-9f0e-7a41c3d2b8a1")


@dataclass(frozen=True)
class CommandContext:
    """Who asks, on whose behalf, and how to recognise the same request sent again."""

    tenant: str
    correlation_id: uuid.UUID
    idempotency_key: str | None = None

    def event_id(self, stream_id: str, index: int) -> uuid.UUID:
        """The id of the command's ``index``-th event: derived from the idempotency key, so a
        repeated request produces the very same ids."""
        if self.idempotency_key is None:
            return uuid.uuid4()
        name = f"{self.tenant}/{stream_id}/{self.idempotency_key}/{index}"
        return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, name)

    def new_id(self, purpose: str) -> uuid.UUID:
        """A new id for something the command creates (a shift, a visit); the same again
        when the request is repeated with the same idempotency key."""
        if self.idempotency_key is None:
            return uuid.uuid4()
        name = f"{self.tenant}/{purpose}/{self.idempotency_key}"
        return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, name)


@dataclass(frozen=True)
class Loaded(Generic[S]):
    """An aggregate's state and the version it was built from."""

    state: S
    version: int


@dataclass(frozen=True)
class Outcome:
    """What a command stored: its events, the stream's version after them, and whether this was
    a repeat of a request already done."""

    events: list[DomainEvent]
    stream_version: int
    repeated: bool = False


class UseCases:
    """Base of a service's application layer: commands and reads on its own event store."""

    def __init__(self, store: EventStore, registry: EventRegistry, *, attempts: int = 3) -> None:
        self._store = store
        self._registry = registry
        self._attempts = attempts

    async def load(self, stream_id: str, initial: S, evolve: Evolve[S]) -> Loaded[S]:
        """Rebuild an aggregate's state from its stream."""
        state, version = initial, 0
        for stored in await self._store.read_stream(stream_id):
            state = evolve(state, stored.decode(self._registry).payload)
            version = stored.stream_version
        return Loaded(state, version)

    async def execute(
        self,
        context: CommandContext,
        stream_id: str,
        initial: S,
        evolve: Evolve[S],
        decide: Decide[S],
        *,
        check_version: bool = True,
        occurred_at: datetime | None = None,
    ) -> Outcome:
        """Load the stream, decide, and append what was decided.

        With ``check_version=False`` the events go to the end of the stream whatever it holds
        (a log-like stream, e.g. a door's presentations, whose decision does not depend on it).
        ``occurred_at`` is when it happened, if not now (a door panel delivering late).
        """
        repeat = await self._earlier_outcome(context, stream_id)
        if repeat is not None:
            return repeat
        for attempt in range(self._attempts):
            try:
                loaded = await self.load(stream_id, initial, evolve)
                return await self._append(
                    context,
                    stream_id,
                    loaded,
                    decide(loaded.state),
                    check_version=check_version,
                    occurred_at=occurred_at,
                )
            except (DomainError, WrongExpectedVersion, DuplicateEventId) as refusal:
                # The same request may have been sent twice at once (a client retrying while
                # its first try was still under way): if the first one has now stored its
                # events, its outcome is the answer, not this refusal.
                repeat = await self._earlier_outcome(context, stream_id)
                if repeat is not None:
                    return repeat
                if not isinstance(refusal, WrongExpectedVersion) or attempt == self._attempts - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _append(
        self,
        context: CommandContext,
        stream_id: str,
        loaded: Loaded[Any],
        decided: Sequence[DomainEvent],
        *,
        check_version: bool,
        occurred_at: datetime | None,
    ) -> Outcome:
        events = list(decided)
        if not events:
            return Outcome([], loaded.version)
        new = [
            NewEvent.of(
                event,
                tenant=context.tenant,
                correlation_id=context.correlation_id,
                event_id=context.event_id(stream_id, index),
                occurred_at=occurred_at,
            )
            for index, event in enumerate(events)
        ]
        expected = loaded.version if check_version else ANY_VERSION
        result = await self._store.append(stream_id, expected, new)
        return Outcome(events, result.stream_version, result.already_stored)

    async def _earlier_outcome(self, context: CommandContext, stream_id: str) -> Outcome | None:
        if context.idempotency_key is None:
            return None
        first = await self._store.find_event(context.event_id(stream_id, 0))
        if first is None:
            return None
        stored = await self._store.read_stream(stream_id, after_version=first.stream_version - 1)
        ids = {context.event_id(stream_id, index) for index in range(len(stored))}
        mine = [event for event in stored if event.event_id in ids]
        return Outcome(
            [event.decode(self._registry).payload for event in mine],
            mine[-1].stream_version,
            repeated=True,
        )
