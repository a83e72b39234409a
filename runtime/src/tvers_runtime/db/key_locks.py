"""Commands on the same keys, one after the other, in the order they came, across replicas.

Optimistic concurrency (an append at an expected version) keeps a stream consistent, but it
cannot keep a rule that spans streams (a volunteer never holds two overlapping shifts, each shift
its own stream), and under a crowd it turns arrival order into retry luck (fifty claims for one
place). :class:`KeyLocks` serialises the commands that touch the same keys instead:

- **In this process**, an ``asyncio.Lock`` per key, taken in sorted key order, queues waiters
  first come, first served, and keeps a crowd from holding database connections while it waits.
- **Across replicas**, the same keys as PostgreSQL transaction-level advisory locks, on a
  connection of the lock's own small pool (a holder's own reads and appends use the service's
  pool, so holders can never starve each other of connections). They end with that transaction,
  so a holder that dies lets go at once.

A lock that cannot be had within ``wait`` raises :class:`Busy` (an HTTP 503, "try again").
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable

import asyncpg

_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"


class Busy(Exception):
    """Too many commands wait for the same thing; try again in a moment."""


class KeyLocks:
    """Serialises holders of the same keys (see the module docstring)."""

    def __init__(self, pool: asyncpg.Pool, *, wait: float = 5.0) -> None:
        self._pool = pool
        self._wait = wait
        self._local: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def holding(self, keys: Iterable[str]) -> AsyncIterator[None]:
        """Hold every key (in this process and in the database) for the ``async with`` body."""
        ordered = sorted(set(keys))
        async with contextlib.AsyncExitStack() as stack:
            for key in ordered:
                await stack.enter_async_context(self._local_lock(key))
            connection = await stack.enter_async_context(self._pool.acquire())
            await stack.enter_async_context(connection.transaction())
            await connection.execute(
                "SELECT set_config('lock_timeout', $1, true)", f"{int(self._wait * 1000)}ms"
            )
            try:
                for key in ordered:
                    await connection.execute(_LOCK, key)
            except asyncpg.LockNotAvailableError as error:
                raise Busy("others are changing the same thing; try again in a moment") from error
            yield

    @contextlib.asynccontextmanager
    async def _local_lock(self, key: str) -> AsyncIterator[None]:
        lock = self._local.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            try:
                await asyncio.wait_for(lock.acquire(), self._wait)
            except TimeoutError as error:
                raise Busy("others are changing the same thing; try again in a moment") from error
            try:
                yield
            finally:
                lock.release()
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key]
                del self._local[key]
