"""Running a command against an event-sourced aggregate: load, decide, append, retry.

The domain supplies three pure functions: ``initial`` state, ``evolve(state, event)``, and a
``decide(state)`` that returns new events or raises a :class:`~tvers_runtime.domain.DomainError`.
This module does the I/O around them. A command is retried when another writer changed the stream
in between; a command sent again with the same idempotency key (a client retrying after a
timeout) returns what the first one did and stores nothing twice. The same key with another
request is refused (:class:`~tvers_runtime.idempotency.IdempotencyKeyReused`), see
:mod:`tvers_runtime.idempotency`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar, overload

from tvers_contracts import DomainEvent, EventRegistry
from tvers_runtime.clock import Clock
from tvers_runtime.domain import Conflict, DomainError
from tvers_runtime.eventstore import (
    ANY_VERSION,
    DuplicateEventId,
    EventStore,
    NewEvent,
    StoredEvent,
    WrongExpectedVersion,
)
from tvers_runtime.idempotency import IdempotencyKeys, InMemoryIdempotencyKeys, KeyClaim

S = TypeVar("S")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
Evolve = Callable[[S, DomainEvent], S]
Decide = Callable[[S], Sequence[DomainEvent]]

_IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1b3e3c-5d1a-4c2e-9f0e-7a41c3d2b8a1")


@dataclass(frozen=True)
class CommandContext:
    """Who asks, on whose behalf, and how to recognise the same request sent again.

    ``principal`` is the caller (a token's subject): idempotency keys are the caller's own, so the
    same key text from another caller is another key. ``fingerprint`` identifies the request that
    carries the key (:func:`tvers_runtime.idempotency.request_fingerprint`); without one, a
    reused key is not checked against its first request.
    """

    tenant: str
    correlation_id: uuid.UUID
    idempotency_key: str | None = None
    principal: str = ""
    fingerprint: str | None = None

    def event_id(self, index: int) -> uuid.UUID:
        """The id of the command's ``index``-th event: derived from the caller and the
        idempotency key, so a repeated request produces the very same ids and another caller's
        request with the same key other ones. Not from the stream: a repeat must find the first
        outcome even when the stream a command writes to depends on the time (a door's
        presentations are kept per local day, and a repeat may come after midnight)."""
        if self.idempotency_key is None:
            return uuid.uuid4()
        name = f"{self.tenant}/{self.principal}/event/{self.idempotency_key}/{index}"
        return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, name)

    def new_id(self, purpose: str) -> uuid.UUID:
        """A new id for something the command creates (a shift, a visit); the same again
        when the same caller repeats the request with the same idempotency key."""
        if self.idempotency_key is None:
            return uuid.uuid4()
        name = f"{self.tenant}/{self.principal}/{purpose}/{self.idempotency_key}"
        return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, name)


@dataclass(frozen=True)
class Loaded(Generic[S]):
    """An aggregate's state and the version it was built from."""

    state: S
    version: int
    #: Whose stream it is: the tenant of its first event (none while it is empty).
    tenant: str | None = None


@dataclass(frozen=True)
class Aggregate(Generic[S]):
    """Where an aggregate's events are, and how its state is built from them."""

    stream_id: str
    initial: S
    evolve: Evolve[S]
    remember: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a command stored: its events, the stream's version after them, and whether this was
    a repeat of a request already done."""

    events: list[DomainEvent]
    stream_version: int
    repeated: bool = False


class UseCases:
    """Base of a service's application layer: commands and reads on its own event store."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        keys: IdempotencyKeys | None = None,
        attempts: int = 3,
        clock: Clock | None = None,
        one_tenant_per_stream: bool = False,
    ) -> None:
        """``clock``, if given, says when what a command stores happened (its events'
        ``occurred_at``), unless the command says otherwise; without one, the store's time.

        With ``one_tenant_per_stream`` a stream belongs to the tenant of its first event: a
        command of another tenant decides on the initial state (to it the stream is empty, so
        the domain answers as for an unknown id) and never appends there. For services whose
        stream ids do not name the tenant (a random id) but travel between people.
        """
        self._store = store
        self._registry = registry
        self._occurred_clock = clock
        self._keys: IdempotencyKeys = keys if keys is not None else InMemoryIdempotencyKeys()
        self._attempts = attempts
        self._one_tenant_per_stream = one_tenant_per_stream
        self._remembered: dict[tuple[str, Evolve[Any]], Loaded[Any]] = {}

    async def load(
        self,
        stream_id: str,
        initial: S,
        evolve: Evolve[S],
        *,
        remember: bool = False,
        tenant: str | None = None,
    ) -> Loaded[S]:
        """Rebuild an aggregate's state from its stream.

        With ``remember`` the state is kept in this process, and the next load reads and applies
        only the events stored since (another replica's included): for small aggregates read on
        a hot path (a door, a branch), whose streams only grow and whose states are immutable.
        With ``tenant``, a stream of another tenant gives ``initial`` (at its version): to this
        tenant there is nothing there.
        """
        aggregate = Aggregate(stream_id, initial, evolve, remember)
        start = self._start(aggregate)
        events = await self._store.read_stream(stream_id, after_version=start.version)
        return _seen_by(tenant, self._caught_up(aggregate, start, events), initial)

    @overload
    async def load_together(self, a: Aggregate[A], b: Aggregate[B], /) -> tuple[A, B]: ...

    @overload
    async def load_together(
        self, a: Aggregate[A], b: Aggregate[B], c: Aggregate[C], /
    ) -> tuple[A, B, C]: ...

    async def load_together(self, *aggregates: Aggregate[Any]) -> tuple[Any, ...]:
        """The states of several aggregates (of distinct streams) from one read of the store."""
        starts = [self._start(aggregate) for aggregate in aggregates]
        found = await self._store.read_streams(
            {
                aggregate.stream_id: start.version
                for aggregate, start in zip(aggregates, starts, strict=True)
            }
        )
        return tuple(
            self._caught_up(aggregate, start, found[aggregate.stream_id]).state
            for aggregate, start in zip(aggregates, starts, strict=True)
        )

    async def load_many(
        self,
        stream_ids: Sequence[str],
        initial: S,
        evolve: Evolve[S],
        *,
        tenant: str | None = None,
    ) -> dict[str, Loaded[S]]:
        """The states of many aggregates of one kind (a volunteer's shifts), from one read of the
        store; a stream with no events (or, with ``tenant``, of another tenant) gives
        ``initial``."""
        found = await self._store.read_streams(dict.fromkeys(stream_ids, 0))
        aggregates = {stream_id: Aggregate(stream_id, initial, evolve) for stream_id in found}
        return {
            stream_id: _seen_by(
                tenant,
                self._caught_up(aggregates[stream_id], Loaded(initial, 0), events),
                initial,
            )
            for stream_id, events in found.items()
        }

    def remembered(self, stream_id: str, evolve: Evolve[S]) -> S | None:
        """The state this process remembers of a stream, as of its last load (maybe stale)."""
        known = self._remembered.get((stream_id, evolve))
        return None if known is None else known.state

    def _start(self, aggregate: Aggregate[S]) -> Loaded[S]:
        known = (
            self._remembered.get((aggregate.stream_id, aggregate.evolve))
            if aggregate.remember
            else None
        )
        return known if known is not None else Loaded(aggregate.initial, 0)

    def _caught_up(
        self, aggregate: Aggregate[S], start: Loaded[S], events: Sequence[StoredEvent]
    ) -> Loaded[S]:
        state, version, tenant = start.state, start.version, start.tenant
        for stored in events:
            state = aggregate.evolve(state, stored.decode_payload(self._registry))
            version = stored.stream_version
            tenant = tenant or stored.tenant
        loaded = Loaded(state, version, tenant)
        if aggregate.remember and version > start.version:
            key = (aggregate.stream_id, aggregate.evolve)
            known = self._remembered.get(key)
            if known is None or known.version < version:
                self._remembered[key] = loaded
        return loaded

    async def execute(
        self,
        context: CommandContext,
        stream_id: str,
        initial: S,
        evolve: Evolve[S],
        decide: Decide[S],
        *,
        check_version: bool = True,
        new_stream: bool = False,
        occurred_at: datetime | None = None,
    ) -> Outcome:
        """Load the stream, decide, and append what was decided.

        With ``check_version=False`` the events go to the end of the stream whatever it holds
        (a log-like stream, e.g. a door's presentations, whose decision does not depend on it):
        the stream is not read at all, and ``decide`` gets ``initial``.
        With ``new_stream`` the stream is one the command names for the first time (a fresh
        random id): it is not read first, ``decide`` gets ``initial``, and the events are
        appended as its first, so a stream that exists after all (a retry racing its first try)
        is refused as a wrong expected version, and then read and decided on as usual.
        ``occurred_at`` is when it happened, if not now (a door panel delivering late).
        Raises :class:`~tvers_runtime.idempotency.IdempotencyKeyReused` when the idempotency key
        was first used for another request.
        """
        claim = await self._claim_key(context)
        try:
            return await self._execute(
                context,
                stream_id,
                initial,
                evolve,
                decide,
                check_version=check_version,
                new_stream=new_stream,
                occurred_at=occurred_at,
                first_use=claim is KeyClaim.FIRST,
            )
        except Exception:
            if claim is KeyClaim.FIRST and await self._earlier_outcome(context) is None:
                await self._release_key(context)
            raise

    async def _execute(
        self,
        context: CommandContext,
        stream_id: str,
        initial: S,
        evolve: Evolve[S],
        decide: Decide[S],
        *,
        check_version: bool,
        new_stream: bool,
        occurred_at: datetime | None,
        first_use: bool,
    ) -> Outcome:
        # A key claimed just now for the first time has stored nothing yet: no need to look.
        repeat = None if first_use else await self._earlier_outcome(context)
        if repeat is not None:
            return repeat
        for attempt in range(self._attempts):
            try:
                fresh = new_stream and attempt == 0
                loaded = (
                    await self.load(
                        stream_id,
                        initial,
                        evolve,
                        tenant=context.tenant if self._one_tenant_per_stream else None,
                    )
                    if check_version and not fresh
                    else Loaded(initial, 0)
                )
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
                repeat = await self._earlier_outcome(context)
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
        if self._one_tenant_per_stream and loaded.tenant not in (None, context.tenant):
            # Only an id made twice could get here (ids are random or name the tenant).
            raise Conflict("this id is taken; try again with another")
        if occurred_at is None and self._occurred_clock is not None:
            occurred_at = self._occurred_clock()
        new = [
            NewEvent.of(
                event,
                tenant=context.tenant,
                correlation_id=context.correlation_id,
                event_id=context.event_id(index),
                occurred_at=occurred_at,
            )
            for index, event in enumerate(events)
        ]
        expected = loaded.version if check_version else ANY_VERSION
        result = await self._store.append(stream_id, expected, new)
        if result.already_stored:
            # A repeat that raced its first try (on another replica, say) and lost: what was
            # stored is the answer, not what this try decided (it may differ: a library system
            # that answered this time and not the first).
            first = await self._earlier_outcome(context)
            if first is not None:
                return first
        return Outcome(events, result.stream_version, result.already_stored)

    async def _claim_key(self, context: CommandContext) -> KeyClaim | None:
        if context.idempotency_key is None or context.fingerprint is None:
            return None
        return await self._keys.claim(
            tenant=context.tenant,
            principal=context.principal,
            key=context.idempotency_key,
            fingerprint=context.fingerprint,
        )

    async def _release_key(self, context: CommandContext) -> None:
        assert context.idempotency_key is not None
        assert context.fingerprint is not None
        await self._keys.release(
            tenant=context.tenant,
            principal=context.principal,
            key=context.idempotency_key,
            fingerprint=context.fingerprint,
        )

    async def _earlier_outcome(self, context: CommandContext) -> Outcome | None:
        if context.idempotency_key is None:
            return None
        first = await self._store.find_event(context.event_id(0))
        if first is None:
            return None
        # The stream the first try wrote to, which may not be the one this try would write to.
        stored = await self._store.read_stream(
            first.stream_id, after_version=first.stream_version - 1
        )
        ids = {context.event_id(index) for index in range(len(stored))}
        mine = [event for event in stored if event.event_id in ids]
        return Outcome(
            [event.decode_payload(self._registry) for event in mine],
            mine[-1].stream_version,
            repeated=True,
        )


def _seen_by(tenant: str | None, loaded: Loaded[S], initial: S) -> Loaded[S]:
    """``loaded`` as ``tenant`` sees it: the initial state when the stream is another's."""
    if tenant is None or loaded.tenant in (None, tenant):
        return loaded
    return Loaded(initial, loaded.version, loaded.tenant)
