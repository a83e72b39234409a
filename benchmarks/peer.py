"""The peer: the ``eventsourcing`` library's PostgreSQL recorder doing the same append work on
the same PostgreSQL server, in the same run. It is synchronous, so its clients are threads."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlparse
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

from benchmarks.stats import percentile

STATE = b'{"door_id": "alesund-sentrum-hovuddor", "branch_id": "alesund-sentrum", "n": 1}'
TOPIC = "tvers.access:EntryGranted"


def recorder(url: str, pool_size: int) -> PostgresApplicationRecorder:
    """An application recorder (events table with notification ids) on the given database."""
    parts = urlparse(url)
    datastore = PostgresDatastore(
        dbname=parts.path.lstrip("/"),
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or "",
        pool_size=pool_size,
    )
    created = PostgresApplicationRecorder(datastore)
    created.create_table()
    return created


def _timed_clients(clients: int, work: object) -> float:
    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]  # type: ignore[arg-type]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def single_event_appends(url: str, clients: int, per_client: int) -> dict[str, float]:
    """Each thread inserts one event per call into its own aggregates."""
    target = recorder(url, pool_size=clients)
    latencies: list[float] = []
    lock = threading.Lock()

    def client(_: int) -> None:
        ids: list[UUID] = [uuid4() for _ in range(50)]
        versions = [0] * 50
        own: list[float] = []
        for i in range(per_client):
            stream = i % 50
            versions[stream] += 1
            started = time.perf_counter()
            target.insert_events([StoredEvent(ids[stream], versions[stream], TOPIC, STATE)])
            own.append(time.perf_counter() - started)
        with lock:
            latencies.extend(own)

    elapsed = _timed_clients(clients, client)
    return {
        "events_per_second": clients * per_client / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


def batched_appends(url: str, batches: int, batch_size: int, clients: int) -> dict[str, float]:
    """Threads insert batches of ``batch_size`` events for fresh aggregates."""
    target = recorder(url, pool_size=clients)
    latencies: list[float] = []
    lock = threading.Lock()

    def client(_: int) -> None:
        own: list[float] = []
        for _ in range(batches // clients):
            originator = uuid4()
            events = [StoredEvent(originator, v, TOPIC, STATE) for v in range(1, batch_size + 1)]
            started = time.perf_counter()
            target.insert_events(events)
            own.append(time.perf_counter() - started)
        with lock:
            latencies.extend(own)

    elapsed = _timed_clients(clients, client)
    return {
        "events_per_second": (batches // clients) * clients * batch_size / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }
