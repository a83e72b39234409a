"""Running a process's main coroutine (on uvloop where it is installed), and its periodic jobs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import structlog

log = structlog.get_logger(__name__)

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on uvloop (falling back to asyncio's own loop)."""
    try:
        import uvloop  # noqa: PLC0415 - optional: not on every platform
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def stopping() -> bool:
    """Whether the current task has been asked to stop (cancelled). A retry loop that caught an
    exception checks this, because some libraries turn a cancellation into their own errors."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


class Backoff:
    """Growing pauses between tries: ``first`` seconds, doubling up to ``most``. Sleep with it only
    where no transaction is open."""

    def __init__(self, first: float = 0.1, most: float = 5.0) -> None:
        self._first = first
        self._most = most
        self._next = first

    def reset(self) -> None:
        """Start again from the first pause (after a success)."""
        self._next = self._first

    async def sleep(self) -> None:
        """Wait the next pause; a task asked to stop does not pause again (see
        :func:`wait_for_event`) but stops."""
        if stopping():
            raise asyncio.CancelledError
        await asyncio.sleep(self._next)
        self._next = min(self._next * 2, self._most)


async def wait_for_event(event: asyncio.Event, timeout: float) -> bool:
    """Wait until ``event`` is set or ``timeout`` seconds have passed; whether it was set.

    Not ``asyncio.wait_for(event.wait(), timeout)``: on Python 3.11 that returns normally when
    its task is cancelled in the very moment the event is set, so a loop around it runs on after
    it was told to stop (a service's stop then waited its whole timeout for the relay).
    ``asyncio.timeout`` waits in the task itself, where a cancellation always arrives.

    A task asked to stop does not wait at all: the cancellation may have been swallowed by a
    library (nats-py's requests use ``asyncio.wait_for`` too), and the task is still marked.
    """
    if stopping():
        raise asyncio.CancelledError
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        return False
    return True


async def repeat(job: Callable[[], Awaitable[object]], *, interval: float, failed: str) -> None:
    """Run ``job``, then wait ``interval`` seconds, until cancelled. A round that fails is
    logged as ``failed`` (with its traceback) and the next round tries again."""
    while True:
        try:
            await job()
        except Exception:
            if stopping():
                raise
            log.exception(failed)
        await asyncio.sleep(interval)
