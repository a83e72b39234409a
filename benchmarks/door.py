"""The whole door decision, as a door panel sees it: ``POST /doors/{door_id}/presentations``
over HTTP to the access service run as its own process (uvicorn, the FastAPI app, the event
store append in PostgreSQL with fsync on, the relay publishing to NATS), with 20 doors at four
branches presenting at once.

The doors present in bursts: all 20 at the same moment. Two paces:

- **back to back**: the next burst as soon as all are answered, so the service never rests (a
  saturation figure: 20 doors presenting flat out, far beyond any library's evening);
- **a burst a second**: all 20 doors at once, once a second (still far more than a branch sees:
  twenty cards a second, every second), which is the issue's "20 doors presenting at once".
 Each
door has its own keep-alive connection and door token, and sends an idempotency key with each
presentation, as a panel that retries after a timeout must. The patrons (from the SIP2 peer's
fixture) are a mix: valid card and PIN, a wrong PIN, and a valid card without an agreement.

- **with SIP2**: the branches are in meirope hours all day, so every decision asks the library
  system (the pysip2 peer, a process of its own) over the service's pool of SIP2 connections;
- **without SIP2**: the same branches staffed all day, so the library system is not asked; the
  decision still loads door, branch, agreement and month key, and appends.

Each case runs on one service process, and the paced case with SIP2 also on two replicas of
the service on the same database (as Kubernetes would run them: each door keeps its connection to
one replica).

Each case gets a fresh database and fresh service processes. A few bursts warm it up first
(connections, caches); they are not counted. The issue's aim: under 50 ms at p99 with SIP2.

Besides the latencies, ``cpu_ms_per_decision`` is the service process's CPU time per decision,
which a busy machine changes little (``load_1m`` says how busy it was). One process spends it
on one core: the last of 20 presentations at once is answered no sooner than 20 times that.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.access_service import Layout, access_process, set_up
from benchmarks.servers import BenchServers
from benchmarks.service_process import RunningService
from benchmarks.sip2 import peer_process
from benchmarks.stats import percentile
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

DOORS = 20
BRANCHES = 4
AIM_P99_MS = 50.0
WARM_UP_BURSTS = 5
#: Patrons who sign an agreement first (adults in the SIP2 peer's fixture).
AGREEMENTS = ["1508000101", "1508000102", "1508000104"]
#: What the doors present, in turn, and the outcome expected in meirope hours (in staffed hours
#: everyone comes in).
PRESENTED = [
    ("1508000101", "2468", "granted"),
    ("1508000102", "1357", "granted"),
    ("1508000104", "4711", "granted"),
    ("1508000101", "0000", "wrong_pin"),
    ("1508000103", "8080", "no_agreement"),
]


class Door:
    """One door panel: its own keep-alive connection to the service and its own token. The
    client is aiohttp's, which takes a fifth of httpx's CPU per request: on a machine of two
    cores the panels' side should take as little as it can from the service's."""

    def __init__(self, url: str, door_id: str) -> None:
        self.door_id = door_id
        self.session = aiohttp.ClientSession(
            base_url=url,
            headers=bearer(Role.DOOR, door_id=door_id, audience=["access"]),
            connector=aiohttp.TCPConnector(limit=1),
            timeout=aiohttp.ClientTimeout(total=30),
        )

    async def present(self, card: str, pin: str) -> tuple[float, str]:
        """Present a card; how long the answer took (ms) and what it was."""
        started = time.perf_counter()
        async with self.session.post(
            f"/doors/{self.door_id}/presentations",
            json={"card_number": card, "pin": pin},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        ) as response:
            body = await response.json()
        took = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{self.door_id}: {response.status} {body}")
        return took, "granted" if body["entry"] == "granted" else str(body["reason"])


async def bursts(
    services: list[RunningService], layout: Layout, rounds: int, *, meirope: bool, every: float
) -> dict[str, Any]:
    """``rounds`` bursts of every door at once, after a few uncounted ones, a burst every
    ``every`` seconds (0: back to back); the latencies' p50, p99 and max in ms, decisions per
    second over the counted bursts, and the service process's CPU time per decision."""
    # Each door keeps its connection to one replica, as a Service spreads connections.
    doors = [
        Door(services[d % len(services)].url, door_id) for d, door_id in enumerate(layout.door_ids)
    ]
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()

    async def present(door: int, burst: int, *, counted: bool) -> None:
        card, pin, expected = PRESENTED[(door + burst) % len(PRESENTED)]
        took, outcome = await doors[door].present(card, pin)
        if outcome != (expected if meirope else "granted"):
            raise RuntimeError(f"{card}/{pin} at {doors[door].door_id}: {outcome}, not {expected}")
        if counted:
            latencies.append(took)
            outcomes[outcome] += 1

    try:
        for burst in range(WARM_UP_BURSTS):
            await asyncio.gather(*(present(d, burst, counted=False) for d in range(len(doors))))
        started, cpu_before = (
            time.perf_counter(),
            sum(service.cpu_seconds() for service in services),
        )
        for burst in range(rounds):
            burst_started = time.perf_counter()
            await asyncio.gather(*(present(d, burst, counted=True) for d in range(len(doors))))
            await asyncio.sleep(max(0.0, every - (time.perf_counter() - burst_started)))
        seconds = time.perf_counter() - started
        cpu = sum(service.cpu_seconds() for service in services) - cpu_before
    finally:
        await asyncio.gather(*(door.session.close() for door in doors))
    return {
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies),
        "decisions_per_second": len(latencies) / seconds,
        "cpu_ms_per_decision": 1000 * cpu / len(latencies),
        "load_1m": os.getloadavg()[0],
        "decisions": len(latencies),
        "outcomes": dict(sorted(outcomes.items())),
        "seconds": seconds,
    }


async def door_decision(
    servers: BenchServers,
    sip2_port: int,
    log_folder: Path,
    rounds: int,
    *,
    meirope: bool,
    every: float,
    replicas: int = 1,
) -> dict[str, Any]:
    """One case on a fresh database and fresh service processes (``replicas`` of them)."""
    layout = Layout.spread(DOORS, BRANCHES)
    database = await servers.new_database()
    kind = "meirope" if meirope else "staffed"
    log_path = log_folder / f"access-{kind}-{every}.log"
    async with contextlib.AsyncExitStack() as stack:
        services = [
            await stack.enter_async_context(
                access_process(database, servers.nats.url, sip2_port, log_path)
            )
            for _ in range(replicas)
        ]
        await set_up(services[0].url, layout, kind=kind, agreements=AGREEMENTS)
        return await bursts(services, layout, rounds, meirope=meirope, every=every)


#: The cases: (seconds between bursts, 0 for back to back; service replicas; SIP2 or not).
CASES = [
    (0.0, 1, True),
    (0.0, 1, False),
    (1.0, 1, True),
    (1.0, 1, False),
    (1.0, 2, True),
]


async def door_decision_group(servers: BenchServers, scale: float) -> list[dict[str, Any]]:
    """The whole door decision with and without SIP2, back to back and a burst a second, on one
    service process and on two replicas (each door keeps its connection to one, as a
    Kubernetes Service spreads connections), and the issue's aim, judged on one process and a
    burst a second."""
    results: list[dict[str, Any]] = []
    aimed_at = None
    with tempfile.TemporaryDirectory(prefix="tvers-bench-door-") as folder:
        async with peer_process() as sip2_port:
            for every, replicas, meirope in CASES:
                rounds = max(10, int(200 * scale)) if every == 0 else max(5, int(30 * scale))
                await servers.forget_streams()
                figures = await door_decision(
                    servers,
                    sip2_port,
                    Path(folder),
                    rounds,
                    meirope=meirope,
                    every=every,
                    replicas=replicas,
                )
                pace = "back to back" if every == 0 else f"a burst every {every:.0f} s"
                case = "with SIP2 (meirope)" if meirope else "without SIP2 (staffed)"
                processes = "one process" if replicas == 1 else f"{replicas} replicas"
                name = (
                    f"door decision over HTTP, {DOORS} doors at once, {pace}, {processes}, {case}"
                )
                results.append({"name": name, **figures})
                if meirope and every and replicas == 1:
                    aimed_at = figures["p99_ms"]
    assert aimed_at is not None
    results.append(
        {
            "name": f"door decision p99 with SIP2 under {AIM_P99_MS:.0f} ms, a burst a second, "
            "one process",
            "ratio": AIM_P99_MS / aimed_at,
            "aim": 1.0,
            "met": aimed_at < AIM_P99_MS,
        }
    )
    return results
