"""Within every stream, the global log's order is the stream's version order, even when many
writers append to the same streams without a version check (as door panels do)."""

import asyncio
import random

import pytest

from tvers_runtime.eventstore import ANY_VERSION, PostgresEventStore
from tvers_runtime.testing.event_store_contract import new_event
from tvers_runtime.testing.pipeline import service_pool

pytestmark = [pytest.mark.servers, pytest.mark.slow]


async def test_unversioned_appends_keep_each_streams_order_in_the_log(database_url: str) -> None:
    pools = [await service_pool(database_url) for _ in range(6)]
    stores = [PostgresEventStore(pool, writers=2) for pool in pools]
    for store in stores:
        await store.start()

    async def panel(store: PostgresEventStore, seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(150):
            # Batches mix streams, so a transaction's id is often taken before it reaches the
            # contended stream: the case where the log could put a later version first.
            await asyncio.gather(
                *(
                    store.append(f"door-{rng.randrange(4)}", ANY_VERSION, [new_event(0)])
                    for _ in range(rng.randint(1, 6))
                )
            )

    await asyncio.gather(*(panel(store, n) for n, store in enumerate(stores)))
    rows = await pools[0].fetch(
        "SELECT stream_id, stream_version FROM events ORDER BY tx_id, global_position"
    )
    last: dict[str, int] = {}
    for row in rows:
        assert row["stream_version"] == last.get(row["stream_id"], 0) + 1, (
            f"{row['stream_id']} v{row['stream_version']} comes after "
            f"v{last.get(row['stream_id'])} in the log"
        )
        last[row["stream_id"]] = row["stream_version"]
    assert sum(last.values()) == len(rows)
    for store in stores:
        await store.close()
    for pool in pools:
        await pool.close()
