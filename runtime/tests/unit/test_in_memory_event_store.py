import pytest

from tvers_runtime.eventstore import EventStore, InMemoryEventStore
from tvers_runtime.testing.event_store_contract import EventStoreContract


class TestInMemoryEventStore(EventStoreContract):
    @pytest.fixture
    def store(self) -> EventStore:
        return InMemoryEventStore()
