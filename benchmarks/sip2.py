"""How long the door waits for the library system: ``patron_status`` over SIP2, with 20 doors
asking at once, against the pysip2 test peer running as a process of its own (as in the demo).

Two loads, each cycling through a valid card, a wrong PIN and an unknown card:

- **bursts**: 20 doors present at the same moment, and again once all are answered (the issue's
  case); measured with a pool of one connection (every door in line for one socket) and with the
  client's default of four;
- **flat out**: each of 20 doors asks again as soon as it has its answer, which shows the rate
  one client reaches (the latency is then the queue: 20 callers over the rate).

The issue's aim is the whole door decision under 50 ms at p99 with 20 doors; this is its SIP2
part alone.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from benchmarks.stats import percentile
from tvers_access.adapters.sip2 import Sip2Account, Sip2LibrarySystem
from tvers_access.testing.sip2_patrons import load_patrons

DOORS = 20
ASKED = [("1508000101", "2468"), ("1508000101", "0000"), ("1508999999", "1234")]


@asynccontextmanager
async def peer_process() -> AsyncIterator[int]:
    """The pysip2 peer as a process on a free port; yields the port."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tvers_access.testing.sip2_peer",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        if not line:
            raise RuntimeError("the SIP2 peer did not start")
        yield int(line.decode().rsplit(":", 1)[1])
    finally:
        process.terminate()
        await process.wait()


def _client(port: int, pool_size: int) -> Sip2LibrarySystem:
    directory = load_patrons()
    return Sip2LibrarySystem(
        host="127.0.0.1",
        port=port,
        account=Sip2Account(directory.login_user, directory.login_password),
        institution_id=directory.institution_id,
        pool_size=pool_size,
    )


async def patron_status_latency(
    port: int, *, rounds: int = 250, pool_size: int = 4, bursts: bool = True
) -> dict[str, Any]:
    """p50 and p99 of ``patron_status`` with 20 doors asking at once, in milliseconds: in
    ``rounds`` bursts, or each door asking ``rounds`` times back to back."""
    library = _client(port, pool_size)
    latencies: list[float] = []

    async def ask(door: int, call: int) -> None:
        card, pin = ASKED[(door + call) % len(ASKED)]
        started = time.perf_counter()
        await library.patron_status(card, pin)
        latencies.append((time.perf_counter() - started) * 1000)

    async def door_flat_out(door: int) -> None:
        for call in range(rounds):
            await ask(door, call)

    try:
        # Open and log in every connection first: the figures are for a warm pool.
        await asyncio.gather(*(library.patron_status(*ASKED[0]) for _ in range(pool_size)))
        started = time.perf_counter()
        if bursts:
            for call in range(rounds):
                await asyncio.gather(*(ask(door, call) for door in range(DOORS)))
        else:
            await asyncio.gather(*(door_flat_out(door) for door in range(DOORS)))
        seconds = time.perf_counter() - started
    finally:
        await library.close()
    return {
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "calls": len(latencies),
        "calls_per_second": len(latencies) / seconds,
        "seconds": seconds,
    }


async def door_group(scale: float) -> list[dict[str, Any]]:
    """The SIP2 figures for the benchmark runner."""
    rounds = max(20, int(250 * scale))
    results = []
    async with peer_process() as port:
        for pool_size, bursts in ((1, True), (4, True), (4, False)):
            figures = await patron_status_latency(
                port, rounds=rounds, pool_size=pool_size, bursts=bursts
            )
            load = "bursts of 20 doors" if bursts else "20 doors flat out"
            name = f"door: SIP2 patron status, {load}, pool of {pool_size}"
            results.append({"name": name, **figures})
    return results


if __name__ == "__main__":
    for result in asyncio.run(door_group(1.0)):
        print(result)
