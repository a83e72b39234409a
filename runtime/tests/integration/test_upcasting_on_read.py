"""An event written at schema version 1 is read back, from the store and through JetStream,
upcast to version 2."""

from typing import Any, ClassVar
from uuid import uuid4

import pytest

from tvers_contracts import DomainEvent, EventRegistry
from tvers_runtime.eventstore import NO_STREAM, NewEvent, PostgresEventStore

pytestmark = pytest.mark.servers


class VisitLoggedV1(DomainEvent):
    service: ClassVar[str] = "sample"
    aggregate: ClassVar[str] = "visit"
    type_name: ClassVar[str | None] = "VisitLogged"

    pupils: int
    cards: int


class VisitLogged(DomainEvent):
    service: ClassVar[str] = "sample"
    aggregate: ClassVar[str] = "visit"
    schema_version: ClassVar[int] = 2

    pupils_present: int
    library_cards_handed_out: int


REGISTRY = EventRegistry([VisitLoggedV1, VisitLogged])


@REGISTRY.upcaster("VisitLogged", from_version=1)
def spell_out_names(payload: dict[str, Any]) -> dict[str, Any]:
    return {"pupils_present": payload["pupils"], "library_cards_handed_out": payload["cards"]}


async def test_an_event_stored_at_version_1_is_read_back_as_version_2(
    event_store: PostgresEventStore,
) -> None:
    old = NewEvent.of(VisitLoggedV1(pupils=24, cards=22), tenant="1508", correlation_id=uuid4())
    assert old.schema_version == 1
    await event_store.append("visit-1", NO_STREAM, [old])

    (stored,) = await event_store.read_stream("visit-1")
    assert stored.schema_version == 1, "the store keeps what was written"
    envelope = stored.decode(REGISTRY)
    assert envelope.schema_version == 2
    assert envelope.payload == VisitLogged(pupils_present=24, library_cards_handed_out=22)
    assert envelope.event_id == old.event_id
