"""Waiting inside loops that run until their task is cancelled: for an event with a timeout,
and between tries."""

import asyncio
import contextlib

from tvers_runtime.aio import Backoff, wait_for_event


async def test_an_event_set_in_time_is_reported_and_a_timeout_is_not() -> None:
    event = asyncio.Event()
    assert await wait_for_event(event, 0.01) is False
    event.set()
    assert await wait_for_event(event, 0.01) is True


async def test_a_cancellation_in_the_same_moment_as_the_event_still_stops_the_loop() -> None:
    # On Python 3.11, asyncio.wait_for(event.wait(), ...) returns normally when its task is
    # cancelled in the moment the event is set: a loop around it then ran on after a service's
    # stop had cancelled it, and the stop waited its whole timeout for the relay.
    event = asyncio.Event()
    rounds = 0

    async def waiting_loop() -> None:
        nonlocal rounds
        while True:
            await wait_for_event(event, 5.0)
            event.clear()
            rounds += 1

    task = asyncio.create_task(waiting_loop())
    await asyncio.sleep(0)  # the loop waits for the event now
    event.set()
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=1.0)
    assert task in done
    assert task.cancelled()
    assert rounds == 0


async def test_a_loop_whose_cancellation_a_library_swallowed_does_not_wait_again() -> None:
    # asyncio.wait_for inside nats-py's requests swallows a cancellation the same way on 3.11;
    # the task is still marked as cancelled, and the next wait ends it.
    event = asyncio.Event()
    rounds = 0

    async def swallowing_library_call() -> None:
        # As asyncio.wait_for on 3.11 does when its answer came in the same moment.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(5.0)

    async def waiting_loop() -> None:
        nonlocal rounds
        while True:
            await swallowing_library_call()
            await wait_for_event(event, 5.0)
            rounds += 1

    task = asyncio.create_task(waiting_loop())
    await asyncio.sleep(0)  # the loop is inside the library call now
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=1.0)
    assert task in done
    assert task.cancelled()
    assert rounds == 0


async def test_a_retry_loop_whose_cancellation_a_library_swallowed_does_not_pause_again() -> None:
    tries = 0

    async def retry_loop() -> None:
        nonlocal tries
        backoff = Backoff(first=5.0)
        while True:
            tries += 1
            with contextlib.suppress(asyncio.CancelledError):  # the library's wait_for
                await asyncio.sleep(5.0)
            await backoff.sleep()

    task = asyncio.create_task(retry_loop())
    await asyncio.sleep(0)  # the first try is under way
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=1.0)
    assert task in done
    assert task.cancelled()
    assert tries == 1
