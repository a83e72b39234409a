"""Writing a source's batches into the live read model, each in one short transaction.

A batch and its checkpoint are written in one transaction, and that transaction must stay short:
while it holds a transaction id, every gap-safe reader on the server (every relay) waits. So:

- a transient failure (a deadlock, a lock not had in time, a lost connection) rolls the batch
  back, and it is written again after a growing pause, with no transaction open meanwhile;
- a batch that takes longer than the write limits allow (its statements or the whole
  transaction) is rolled back and written again in halves, and the next batches are read smaller
  until writing is quick again;
- an event that alone is too slow, time after time, is dead-lettered, and only its stream waits;
- an event whose apply fails is dead-lettered in the batch's transaction, and tried again
  afterwards (:mod:`.retries`), each try in its own short transaction.
"""

from __future__ import annotations

import asyncio
import dataclasses

import asyncpg
import structlog

from tvers_contracts import EventRegistry
from tvers_runtime import metrics
from tvers_runtime.aio import Backoff, stopping
from tvers_runtime.db.errors import is_too_slow, is_transient
from tvers_runtime.projection.apply import ApplyReport, apply_messages
from tvers_runtime.projection.checkpoints import save_checkpoint
from tvers_runtime.projection.decode import Decoded
from tvers_runtime.projection.locks import WriteLimits, begin_read_model_write
from tvers_runtime.projection.projection import Projection
from tvers_runtime.projection.retries import retry_failed_streams
from tvers_runtime.projection.status import SourceState, Statuses

log = structlog.get_logger(__name__)
#: How often an event that alone takes too long is tried before it is dead-lettered.
SLOW_TRIES = 3


class CheckpointMoved(Exception):
    """The read model is not where this runner left it (a rebuild was swapped in)."""


class ShapeChanged(CheckpointMoved):
    """Another release swapped in a read model of another shape: this runner must not write to
    it, and stands aside (stopped, saying why) until the live shape is its own again."""


class TooSlow(Exception):
    """Writing a part of a batch took longer than the write limits allow; it was rolled back."""


@dataclasses.dataclass
class BatchWriter:
    """Writes one projection's batches, source by source; see the module docstring."""

    pool: asyncpg.Pool
    projection: Projection
    schema: str
    shape: str
    registry: EventRegistry
    limits: WriteLimits
    statuses: Statuses
    max_attempts: int = 3
    retry_budget: float = 1.0
    #: Where each source's checkpoint stands, as this writer left it.
    written: dict[str, int] = dataclasses.field(default_factory=dict)
    #: How many messages the next batch of a source should hold at most (smaller after a batch
    #: took too long, growing back while writing is quick).
    room: dict[str, int] = dataclasses.field(default_factory=dict)

    async def write(self, source: str, decoded: list[Decoded], batch_size: int) -> None:
        """Write a batch (in parts, if it takes too long), then give freshly dead-lettered
        events their further tries."""
        parts = [decoded]
        slow_tries = 0
        failed: set[str] = set()
        dead = False
        while parts:
            part = parts.pop(0)
            try:
                report = await self._write_part(source, part)
            except TooSlow:
                if len(part) > 1:
                    half = len(part) // 2
                    parts[:0] = [part[:half], part[half:]]
                    self.room[source] = max(1, min(self.room.get(source, batch_size), half))
                    continue
                slow_tries += 1
                if slow_tries >= SLOW_TRIES:
                    part = [_dead_for_being_slow(part[0], self.limits)]
                parts.insert(0, part)
                continue
            slow_tries = 0
            failed |= report.failed_streams
            dead = dead or bool(report.dead_lettered or report.parked)
        self.room[source] = min(batch_size, self.room.get(source, batch_size) * 2)
        if failed:
            await retry_failed_streams(
                self.pool,
                self.projection,
                source,
                failed,
                registry=self.registry,
                limits=self.limits,
                attempts=self.max_attempts - 1,
                budget=self.retry_budget,
            )
        if dead or failed:
            await self._count_dead_letters()

    async def _write_part(self, source: str, part: list[Decoded]) -> ApplyReport:
        """One part, trying again after transient failures (outside any transaction)."""
        backoff = Backoff()
        while True:
            try:
                report = await self._transaction(source, part)
            except Exception as error:
                if stopping():
                    raise
                if is_too_slow(error):
                    log.warning(
                        "projection_batch_too_slow",
                        projection=self.projection.name,
                        source=source,
                        size=len(part),
                        error=repr(error),
                    )
                    raise TooSlow from error
                if not is_transient(error):
                    raise
                self.statuses.set(source, SourceState.RECOVERING, repr(error))
                log.warning(
                    "projection_batch_retried",
                    projection=self.projection.name,
                    source=source,
                    error=repr(error),
                )
                await backoff.sleep()
            else:
                self.statuses.set(source, SourceState.FOLLOWING)
                return report

    async def _transaction(self, source: str, part: list[Decoded]) -> ApplyReport:
        """One part with its checkpoint, in one transaction within the write limits."""
        last = part[-1].message
        async with (
            asyncio.timeout(self.limits.transaction_seconds),
            self.pool.acquire() as connection,
            connection.transaction(),
        ):
            await begin_read_model_write(connection, self.projection, self.schema, self.limits)
            row = await connection.fetchrow(
                "SELECT (SELECT sequence FROM _checkpoints WHERE source = $1),"
                " (SELECT shape FROM _meta LIMIT 1)",
                source,
            )
            assert row is not None
            if row[1] != self.shape:
                raise ShapeChanged(
                    f"the live read model is of shape {row[1]}, this runner's is {self.shape}"
                )
            if row[0] != self.written[source]:
                raise CheckpointMoved(
                    f"read model at {row[0]}, this runner left it at {self.written[source]}"
                )
            fresh = [item for item in part if item.message.sequence > row[0]]
            report = await apply_messages(connection, self.projection, source, fresh)
            await save_checkpoint(connection, source, last)
        self.written[source] = last.sequence
        metrics.PROJECTION_APPLIED.labels(self.projection.name).inc(report.applied)
        return report

    async def _count_dead_letters(self) -> None:
        async with self.pool.acquire() as connection:
            dead = await connection.fetchval(
                f'SELECT count(*) FROM "{self.schema}"._dead_letters'  # noqa: S608 - our own
            )
        metrics.DEAD_LETTERS.labels(self.projection.name).set(dead)


def _dead_for_being_slow(item: Decoded, limits: WriteLimits) -> Decoded:
    """The event as a failure of its own: applying it alone took too long, time after time."""
    if item.ignored or item.envelope is None:
        return item  # nothing of it is applied: it cannot have been what was slow
    return dataclasses.replace(
        item,
        envelope=None,
        failure=(
            f"applying it took longer than the write limits ({limits.transaction_seconds} s per "
            f"transaction, {limits.statement_timeout} per statement) {SLOW_TRIES} times"
        ),
    )
