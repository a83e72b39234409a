"""Load, decide, append: a command is retried when the stream moved, and a repeated request (same
idempotency key) returns what the first did without storing anything twice."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import ClassVar
from uuid import UUID, uuid4

import pytest

from tvers_contracts import DomainEvent, EventRegistry
from tvers_runtime.application import Aggregate, CommandContext, UseCases
from tvers_runtime.domain import Conflict
from tvers_runtime.eventstore import (
    AppendResult,
    InMemoryEventStore,
    NewEvent,
    StoredEvent,
    WrongExpectedVersion,
)
from tvers_runtime.idempotency import IdempotencyKeyReused


class Counted(DomainEvent):
    service: ClassVar[str] = "sample"
    aggregate: ClassVar[str] = "counter"

    total: int


REGISTRY = EventRegistry([Counted])


def evolve(total: int, event: DomainEvent) -> int:
    assert isinstance(event, Counted)
    return event.total


def add_one(total: int) -> Sequence[DomainEvent]:
    if total >= 3:
        raise Conflict("the counter is full")
    return [Counted(total=total + 1)]


def context(key: str | None = None) -> CommandContext:
    return CommandContext(tenant="1508", correlation_id=uuid4(), idempotency_key=key)


async def test_a_command_decides_on_the_current_state() -> None:
    store = InMemoryEventStore()
    for _ in range(3):
        await UseCases(store, REGISTRY).execute(context(), "counter-1", 0, evolve, add_one)
    assert (await UseCases(store, REGISTRY).load("counter-1", 0, evolve)).state == 3
    with pytest.raises(Conflict):
        await UseCases(store, REGISTRY).execute(context(), "counter-1", 0, evolve, add_one)


async def test_a_repeated_request_returns_the_first_outcome_and_stores_nothing() -> None:
    store = InMemoryEventStore()
    first = await UseCases(store, REGISTRY).execute(context("k-1"), "counter-2", 0, evolve, add_one)
    again = await UseCases(store, REGISTRY).execute(context("k-1"), "counter-2", 0, evolve, add_one)
    assert not first.repeated
    assert again.repeated
    assert again.events == first.events == [Counted(total=1)]
    assert len(await store.read_stream("counter-2")) == 1


async def test_a_command_retries_when_another_writer_got_there_first() -> None:
    store = InMemoryEventStore()
    original_append = store.append
    raced = False

    async def racing_append(
        stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
    ) -> AppendResult:
        nonlocal raced
        if not raced:  # another writer appends between our load and our append
            raced = True
            other = NewEvent.of(Counted(total=1), tenant="1508", correlation_id=uuid4())
            await original_append(stream_id, expected_version, [other])
        return await original_append(stream_id, expected_version, events)

    store.append = racing_append  # type: ignore[method-assign]
    outcome = await UseCases(store, REGISTRY).execute(context(), "counter-3", 0, evolve, add_one)
    assert outcome.events == [Counted(total=2)], "decided again on the newer state"
    assert (await UseCases(store, REGISTRY).load("counter-3", 0, evolve)).state == 2


async def test_a_command_gives_up_after_repeated_conflicts() -> None:
    store = InMemoryEventStore()

    async def always_conflicting(
        stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
    ) -> AppendResult:
        raise WrongExpectedVersion(stream_id, expected_version, (expected_version or 0) + 1)

    store.append = always_conflicting  # type: ignore[method-assign]
    with pytest.raises(WrongExpectedVersion):
        await UseCases(store, REGISTRY).execute(context(), "counter-4", 0, evolve, add_one)


async def test_a_retry_sent_while_the_first_try_was_under_way_gets_the_first_answer() -> None:
    store = InMemoryEventStore()
    original_find = store.find_event
    looked = 0

    async def not_yet_committed_at_first(event_id: UUID) -> StoredEvent | None:
        nonlocal looked
        looked += 1
        return None if looked == 1 else await original_find(event_id)

    first = await UseCases(store, REGISTRY).execute(context("k-2"), "counter-5", 2, evolve, add_one)
    # The retry looked for the first try's events just before it committed, then decided on
    # the state that already holds them: the counter is now full, yet the answer is the first.
    store.find_event = not_yet_committed_at_first  # type: ignore[method-assign]
    again = await UseCases(store, REGISTRY).execute(context("k-2"), "counter-5", 2, evolve, add_one)
    assert again.repeated
    assert again.events == first.events == [Counted(total=3)]
    assert len(await store.read_stream("counter-5")) == 1


def keyed(key: str, fingerprint: str, principal: str = "staff:1") -> CommandContext:
    return CommandContext(
        tenant="1508",
        correlation_id=uuid4(),
        idempotency_key=key,
        principal=principal,
        fingerprint=fingerprint,
    )


async def test_a_key_reused_for_another_request_is_refused_and_stores_nothing() -> None:
    store = InMemoryEventStore()
    app = UseCases(store, REGISTRY)
    await app.execute(keyed("k-1", "request-a"), "counter-5", 0, evolve, add_one)
    with pytest.raises(IdempotencyKeyReused):
        await app.execute(keyed("k-1", "request-b"), "counter-5", 0, evolve, add_one)
    with pytest.raises(IdempotencyKeyReused):
        await app.execute(keyed("k-1", "request-b"), "counter-6", 0, evolve, add_one)
    assert len(await store.read_stream("counter-5")) == 1
    assert await store.read_stream("counter-6") == []
    repeat = await app.execute(keyed("k-1", "request-a"), "counter-5", 0, evolve, add_one)
    assert repeat.repeated


async def test_another_callers_key_is_another_key() -> None:
    store = InMemoryEventStore()
    app = UseCases(store, REGISTRY)
    mine = await app.execute(keyed("k-1", "same", "staff:1"), "counter-7", 0, evolve, add_one)
    theirs = await app.execute(keyed("k-1", "same", "staff:2"), "counter-7", 0, evolve, add_one)
    assert not theirs.repeated
    assert (mine.events, theirs.events) == ([Counted(total=1)], [Counted(total=2)])


async def test_a_refused_command_frees_its_key_for_a_corrected_request() -> None:
    store = InMemoryEventStore()
    app = UseCases(store, REGISTRY)
    for _ in range(3):
        await app.execute(context(), "counter-8", 0, evolve, add_one)
    with pytest.raises(Conflict):
        await app.execute(keyed("k-1", "request-a"), "counter-8", 0, evolve, add_one)
    corrected = await app.execute(keyed("k-1", "request-b"), "counter-9", 0, evolve, add_one)
    assert corrected.events == [Counted(total=1)]


class CountingReads(InMemoryEventStore):
    """The in-memory store, counting the streams read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    async def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[StoredEvent]:
        self.reads.append(stream_id)
        return await super().read_stream(stream_id, after_version=after_version)


async def test_a_command_on_a_new_stream_appends_its_first_events_without_reading_it() -> None:
    store = CountingReads()
    outcome = await UseCases(store, REGISTRY).execute(
        context(), "counter-new", 0, evolve, add_one, new_stream=True
    )
    assert outcome.events == [Counted(total=1)]
    assert outcome.stream_version == 1
    assert store.reads == []


async def test_a_new_stream_that_exists_after_all_is_read_and_decided_on_as_usual() -> None:
    store = CountingReads()
    cases = UseCases(store, REGISTRY)
    await cases.execute(context(), "counter-taken", 0, evolve, add_one)
    outcome = await cases.execute(context(), "counter-taken", 0, evolve, add_one, new_stream=True)
    assert outcome.events == [Counted(total=2)]
    assert [event.stream_version for event in await store.read_stream("counter-taken")] == [1, 2]


async def test_a_remembered_aggregate_catches_up_with_what_another_process_appended() -> None:
    store = InMemoryEventStore()
    here, elsewhere = UseCases(store, REGISTRY), UseCases(store, REGISTRY)
    await here.execute(context(), "counter-r", 0, evolve, add_one)
    assert (await here.load("counter-r", 0, evolve, remember=True)).state == 1
    await elsewhere.execute(context(), "counter-r", 0, evolve, add_one)
    loaded = await here.load("counter-r", 0, evolve, remember=True)
    assert (loaded.state, loaded.version) == (2, 2)
    assert here.remembered("counter-r", evolve) == 2


async def test_an_empty_stream_is_not_remembered() -> None:
    cases = UseCases(InMemoryEventStore(), REGISTRY)
    assert (await cases.load("counter-none", 0, evolve, remember=True)).state == 0
    assert cases.remembered("counter-none", evolve) is None


async def test_aggregates_loaded_together_each_get_their_own_stream() -> None:
    store = InMemoryEventStore()
    cases = UseCases(store, REGISTRY)
    for _ in range(2):
        await cases.execute(context(), "counter-a", 0, evolve, add_one)
    await cases.execute(context(), "counter-b", 0, evolve, add_one)
    await cases.load("counter-a", 0, evolve, remember=True)
    await cases.execute(context(), "counter-a", 0, evolve, add_one)
    a, b, empty = await cases.load_together(
        Aggregate("counter-a", 0, evolve, remember=True),
        Aggregate("counter-b", 0, evolve),
        Aggregate("counter-c", 0, evolve),
    )
    assert (a, b, empty) == (3, 1, 0)


async def test_events_occur_at_the_use_cases_clock_unless_the_command_says_when() -> None:
    store = InMemoryEventStore()
    then = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    cases = UseCases(store, REGISTRY, clock=lambda: then)
    await cases.execute(context(), "counter-9", 0, evolve, add_one)
    late = then - timedelta(hours=3)
    await cases.execute(context(), "counter-9", 0, evolve, add_one, occurred_at=late)
    stored = await store.read_stream("counter-9")
    assert [e.occurred_at for e in stored] == [then, late]


async def test_with_one_tenant_per_stream_another_tenant_finds_nothing_and_appends_nothing() -> (
    None
):
    store = InMemoryEventStore()
    cases = UseCases(store, REGISTRY, one_tenant_per_stream=True)
    await cases.execute(context(), "counter-7", 0, evolve, add_one)
    giske = CommandContext(tenant="1532", correlation_id=uuid4())

    def only_on_an_existing_counter(total: int) -> Sequence[DomainEvent]:
        if total == 0:
            raise Conflict("no such counter")
        return [Counted(total=total + 1)]

    with pytest.raises(Conflict, match="no such counter"):
        await cases.execute(giske, "counter-7", 0, evolve, only_on_an_existing_counter)
    with pytest.raises(Conflict, match="id is taken"):  # a decision that would start it anew
        await cases.execute(giske, "counter-7", 0, evolve, add_one)
    assert [e.tenant for e in await store.read_stream("counter-7")] == ["1508"]
    seen = await cases.load("counter-7", 0, evolve, tenant="1532")
    assert (seen.state, seen.version, seen.tenant) == (0, 1, "1508")
    assert (await cases.load("counter-7", 0, evolve, tenant="1508")).state == 1
    many = await cases.load_many(["counter-7"], 0, evolve, tenant="1532")
    assert many["counter-7"].state == 0
