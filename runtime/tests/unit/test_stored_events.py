"""A stored event's payload decodes on its own, as it does inside its envelope: what a state
needs to evolve, without building the envelope."""

from typing import ClassVar
from uuid import uuid4

from tvers_contracts import DomainEvent, EventRegistry
from tvers_runtime.eventstore import InMemoryEventStore, NewEvent


class Counted(DomainEvent):
    service: ClassVar[str] = "sample"
    aggregate: ClassVar[str] = "counter"

    total: int


REGISTRY = EventRegistry([Counted])


async def test_a_stored_payload_decodes_alone_as_in_its_envelope() -> None:
    store = InMemoryEventStore()
    await store.append(
        "counter-1", 0, [NewEvent.of(Counted(total=7), tenant="1508", correlation_id=uuid4())]
    )
    (stored,) = await store.read_stream("counter-1")
    assert stored.decode_payload(REGISTRY) == stored.decode(REGISTRY).payload == Counted(total=7)
