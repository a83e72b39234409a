"""One set of tests every event store must pass; each backend subclasses it with a ``store``
fixture. The in-memory store and the PostgreSQL store are proven to behave alike this way."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest

from tvers_runtime.eventstore import (
    ANY_VERSION,
    LOG_START,
    NO_STREAM,
    DuplicateEventId,
    EventStore,
    InvalidAppend,
    NewEvent,
    WrongExpectedVersion,
)

TENANT = "1508"
#: Offsets that push the edges of datetime beyond what UTC can hold.
WEST = timezone(timedelta(hours=-5))
EAST = timezone(timedelta(hours=5))


def new_event(n: int = 0, *, event_type: str = "Happened") -> NewEvent:
    """A small event whose payload says which one it is."""
    return NewEvent(
        event_type=event_type,
        schema_version=1,
        payload_json=json.dumps({"n": n}),
        tenant=TENANT,
        correlation_id=uuid4(),
    )


class EventStoreContract:
    """The behaviour of :class:`tvers_runtime.eventstore.EventStore`."""

    async def test_appended_events_are_read_back_in_stream_order(self, store: EventStore) -> None:
        result = await store.append("s-1", NO_STREAM, [new_event(1), new_event(2)])
        assert result.stream_version == 2
        await store.append("s-1", 2, [new_event(3)])
        events = await store.read_stream("s-1")
        assert [json.loads(e.payload_json)["n"] for e in events] == [1, 2, 3]
        assert [e.stream_version for e in events] == [1, 2, 3]
        assert [e.stream_version for e in await store.read_stream("s-1", after_version=2)] == [3]

    async def test_several_streams_are_read_at_once_each_after_its_own_version(
        self, store: EventStore
    ) -> None:
        await store.append("many-1", NO_STREAM, [new_event(n) for n in range(3)])
        await store.append("many-2", NO_STREAM, [new_event(n) for n in range(3, 5)])
        found = await store.read_streams({"many-1": 1, "many-2": 0, "many-none": 0})
        assert {stream: [e.stream_version for e in events] for stream, events in found.items()} == {
            "many-1": [2, 3],
            "many-2": [1, 2],
            "many-none": [],
        }
        assert found["many-1"] == await store.read_stream("many-1", after_version=1)

    async def test_two_appends_at_the_same_version_one_wins_the_other_stores_nothing(
        self, store: EventStore
    ) -> None:
        await store.append("s-2", NO_STREAM, [new_event(0)])
        first, second = new_event(1), new_event(2)
        outcomes = await asyncio.gather(
            store.append("s-2", 1, [first]),
            store.append("s-2", 1, [second]),
            return_exceptions=True,
        )
        errors = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(errors) == 1
        assert isinstance(errors[0], WrongExpectedVersion)
        assert errors[0].actual == 2
        stored_ids = {e.event_id for e in await store.read_stream("s-2")}
        assert len(stored_ids) == 2
        assert len(stored_ids & {first.event_id, second.event_id}) == 1

    async def test_an_append_at_a_version_the_stream_has_not_reached_is_refused(
        self, store: EventStore
    ) -> None:
        await store.append("s-3", NO_STREAM, [new_event(0)])
        with pytest.raises(WrongExpectedVersion):
            await store.append("s-3", 5, [new_event(1)])
        assert len(await store.read_stream("s-3")) == 1

    async def test_repeating_an_append_with_the_same_event_ids_stores_nothing_twice(
        self, store: EventStore
    ) -> None:
        events = [new_event(1), new_event(2)]
        first = await store.append("s-4", NO_STREAM, events)
        again = await store.append("s-4", NO_STREAM, events)
        assert not first.already_stored
        assert again.already_stored
        assert again.stream_version == 2
        assert len(await store.read_stream("s-4")) == 2
        assert len(await store.read_all(LOG_START, limit=100)) == 2

    async def test_repeating_an_any_version_append_stores_nothing_twice(
        self, store: EventStore
    ) -> None:
        event = new_event(1)
        await store.append("s-5", ANY_VERSION, [event])
        await store.append("s-5", ANY_VERSION, [new_event(2)])
        again = await store.append("s-5", ANY_VERSION, [event])
        assert again.already_stored
        assert len(await store.read_stream("s-5")) == 2

    async def test_an_event_id_stored_in_another_stream_is_refused(self, store: EventStore) -> None:
        event = new_event(1)
        await store.append("s-6", NO_STREAM, [event])
        with pytest.raises(DuplicateEventId):
            await store.append("s-7", NO_STREAM, [new_event(0), event])
        assert await store.read_stream("s-7") == []

    async def test_any_version_appends_go_to_the_end_of_the_stream(self, store: EventStore) -> None:
        results = await asyncio.gather(
            *(store.append("s-8", ANY_VERSION, [new_event(n)]) for n in range(10))
        )
        assert sorted(r.stream_version for r in results) == list(range(1, 11))
        assert [e.stream_version for e in await store.read_stream("s-8")] == list(range(1, 11))

    async def test_the_global_log_is_read_after_a_position_in_order(
        self, store: EventStore
    ) -> None:
        for n in range(5):
            await store.append(f"log-{n}", NO_STREAM, [new_event(n)])
        everything = await store.read_all(LOG_START, limit=100)
        assert [json.loads(e.payload_json)["n"] for e in everything] == [0, 1, 2, 3, 4]
        positions = [e.log_position for e in everything]
        assert positions == sorted(positions)
        rest = await store.read_all(everything[1].log_position, limit=2)
        assert [json.loads(e.payload_json)["n"] for e in rest] == [2, 3]

    async def test_an_event_is_found_by_its_id(self, store: EventStore) -> None:
        event = new_event(7)
        await store.append("s-10", NO_STREAM, [new_event(6), event])
        found = await store.find_event(event.event_id)
        assert found is not None
        assert (found.stream_id, found.stream_version) == ("s-10", 2)
        assert await store.find_event(new_event(8).event_id) is None

    async def test_an_empty_append_is_refused(self, store: EventStore) -> None:
        with pytest.raises(InvalidAppend, match="at least one event"):
            await store.append("s-9", NO_STREAM, [])

    @pytest.mark.parametrize(
        ("stream_id", "expected", "change", "problem"),
        [
            ("s-\x00", NO_STREAM, {}, "NUL"),
            ("s-\ud800", NO_STREAM, {}, "surrogate"),
            ("s-" + "x" * 300, NO_STREAM, {}, "longer than"),
            ("s-11", 2**31, {}, "expected_version"),
            ("s-11", -1, {}, "expected_version"),
            ("s-11", NO_STREAM, {"payload_json": '{"n": 1'}, "not valid JSON"),
            ("s-11", NO_STREAM, {"payload_json": '{"n": NaN}'}, "not valid JSON"),
            ("s-11", NO_STREAM, {"payload_json": "[1, 2]"}, "JSON object"),
            ("s-11", NO_STREAM, {"payload_json": '{"n": "\x00"}'}, "not valid JSON"),
            ("s-11", NO_STREAM, {"payload_json": '{"n": "\\ud800"}'}, "not valid JSON"),
            ("s-11", NO_STREAM, {"schema_version": 0}, "schema_version"),
            ("s-11", NO_STREAM, {"schema_version": 2**31}, "schema_version"),
            ("s-11", NO_STREAM, {"tenant": "Ålesund"}, "municipality number"),
            ("s-11", NO_STREAM, {"tenant": "\u0661\u0665\u0660\u0668"}, "municipality number"),
            ("s-11", NO_STREAM, {"event_type": ""}, "event_type"),
            ("s-11", NO_STREAM, {"occurred_at": datetime(2026, 1, 1)}, "aware"),  # noqa: DTZ001
            # Aware, but beyond what a UTC timestamp can hold (year 10000, year 0 in UTC).
            ("s-11", NO_STREAM, {"occurred_at": datetime(9999, 12, 31, 23, tzinfo=WEST)}, "range"),
            ("s-11", NO_STREAM, {"occurred_at": datetime(1, 1, 1, 1, tzinfo=EAST)}, "range"),
        ],
    )
    async def test_an_append_the_database_would_refuse_is_refused_whole_and_stores_nothing(
        self,
        store: EventStore,
        stream_id: str,
        expected: int,
        change: dict[str, object],
        problem: str,
    ) -> None:
        bad = dataclasses.replace(new_event(1), **change)  # type: ignore[arg-type]
        with pytest.raises(InvalidAppend, match=problem):
            await store.append(stream_id, expected, [new_event(0), bad])
        assert await store.read_all(LOG_START, limit=10) == []

    async def test_the_same_event_id_twice_in_one_append_is_refused(
        self, store: EventStore
    ) -> None:
        event = new_event(1)
        with pytest.raises(InvalidAppend, match="twice"):
            await store.append("s-12", NO_STREAM, [event, event])
