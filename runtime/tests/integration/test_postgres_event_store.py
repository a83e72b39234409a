import pytest

from tvers_runtime.eventstore import NO_STREAM, EventStore, PostgresEventStore
from tvers_runtime.testing.event_store_contract import EventStoreContract, new_event

pytestmark = pytest.mark.servers


class TestPostgresEventStore(EventStoreContract):
    @pytest.fixture
    def store(self, event_store: PostgresEventStore) -> EventStore:
        return event_store


async def test_text_the_database_cannot_store_is_refused_before_the_group_commit(
    event_store: PostgresEventStore,
) -> None:
    with pytest.raises(ValueError, match="NUL"):
        await event_store.append("door-\x00", NO_STREAM, [new_event(1)])
    # Its neighbours in the queue are not affected.
    assert (await event_store.append("door-1", NO_STREAM, [new_event(2)])).stream_version == 1
