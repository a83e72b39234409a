"""Bringing a live read model to the shape of the code that runs, blue/green.

When a projection's version or tables change, the live read model was built by other code. On
start the runner compares the live shape with its own:

- the same: it follows the streams;
- older (a lower version, or the same version with other tables): it rebuilds the read model from
  sequence 1 into fresh tables while the old ones keep serving readers, then swaps them in
  (:func:`~.rebuild.rebuild`); another instance doing the same meanwhile is waited for;
- newer (a higher version): this process runs older code than the read model. It stops rather
  than write into tables it does not know, and says so, until the model changes again.

During a rolling upgrade with several replicas, raise ``version`` with any change to a projection,
so old and new replicas agree on which one is newer.
"""

from __future__ import annotations

import asyncio

import asyncpg
import structlog
from nats.aio.client import Client as NatsClient

from tvers_contracts import EventRegistry
from tvers_runtime.aio import stopping
from tvers_runtime.projection.apply import RebuildHalted
from tvers_runtime.projection.projection import Projection, live_schema, shape_of
from tvers_runtime.projection.rebuild import RebuildInProgress, rebuild
from tvers_runtime.projection.schema import shape_in
from tvers_runtime.projection.status import SourceState, Statuses

log = structlog.get_logger(__name__)
#: How long to wait before looking again while another instance rebuilds, or after a failure.
RETRY_INTERVAL = 2.0


def _version(shape: str | None) -> int:
    """The version in a shape (``v3:ab12...``); 0 for a read model without one."""
    if shape is None or not shape.startswith("v"):
        return 0
    number = shape[1:].split(":", 1)[0]
    return int(number) if number.isdigit() else 0


async def bring_to_shape(
    pool: asyncpg.Pool,
    nats_client: NatsClient,
    projection: Projection,
    registry: EventRegistry,
    statuses: Statuses,
) -> None:
    """Return once the live read model has this code's shape (see the module docstring)."""
    mine = shape_of(projection)
    while True:
        async with pool.acquire() as connection:
            live = await shape_in(connection, live_schema(projection))
        if live == mine:
            return
        if _version(live) > projection.version:
            statuses.set_all(
                SourceState.STOPPED,
                f"the live read model is {live}, newer than this code's {mine}: this process "
                "runs an older release",
            )
            await asyncio.sleep(RETRY_INTERVAL)
            continue
        statuses.set_all(SourceState.UPGRADING, f"rebuilding from {live} to {mine}")
        try:
            await rebuild(pool, nats_client, projection, registry=registry)
        except RebuildInProgress:
            await asyncio.sleep(RETRY_INTERVAL)  # another instance rebuilds; look again after
        except RebuildHalted as error:
            statuses.set_all(
                SourceState.STOPPED,
                f"the upgrade to {mine} stopped at {error}; the old read model still serves",
            )
            await asyncio.sleep(30 * RETRY_INTERVAL)
        except Exception as error:
            if stopping():
                raise
            log.warning("projection_upgrade_retry", projection=projection.name, error=repr(error))
            await asyncio.sleep(RETRY_INTERVAL)
