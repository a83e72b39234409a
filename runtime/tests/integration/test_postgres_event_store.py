import pytest

from tvers_runtime.eventstore import EventStore, PostgresEventStore
from tvers_runtime.testing.event_store_contract import EventStoreContract

pytestmark = pytest.mark.servers


class TestPostgresEventStore(EventStoreContract):
    @pytest.fixture
    def store(self, event_store: PostgresEventStore) -> EventStore:
        return event_store
