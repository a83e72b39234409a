"""The desk log under issue 11's aim: recording one interaction takes under 30 ms at p99 with 20
desks recording at once (decisions 0043, 0052), measured over HTTP against ``python -m
tvers_desk`` run as its own process (:mod:`benchmarks.service_process`) on PostgreSQL with fsync
on and NATS.

**Twenty desks recording at once** (the aim's case): twenty desks, four at each of the five
innbyggartorg sites, each with its own keep-alive connection and a desk token naming its site,
all in use at the same time, each recording whenever its counter has something to record: at
random moments, a record a second on average per desk (Poisson arrivals, a fixed seed), which is
sixty times as often as a busy counter and twenty records a second for the service. Each record
carries an ``Idempotency-Key`` of its own, as the page sends it. The records go round the
departments, the offered categories (``GET /categories``, seeded on first start), the channels
and the durations, every fifth with a referral.

**Twenty records in the same instant** (the burst, a stress figure beside the aim): all twenty
desks send a record in the same millisecond, once a second. One service process answers them one
after the other on one core, so the last answer comes after twenty records' CPU time; the figure
shows how far that is from the aim on this machine (decision 0052). Again with **two replicas**
of the service on the same database (the desk is stateless; its relay is single-active), ten
desks on each, as a Kubernetes Service with two pods would share them.

**Flat out** (the ceiling): each desk sends its next record as soon as the last is answered, so a
desk's latency is the queue of twenty (twenty over the throughput), not the time a record takes.

The measuring client runs on the same two cores as the service. Its own garbage collections are
kept out of the measured stretches (frozen and paused, collected between rounds): twenty desks
are twenty devices, and a pause of the one process playing them all is not the service's.
``cpu_ms_per_request`` is the service process's CPU time per record (relay included),
``wal_flushes_per_request`` the PostgreSQL server's WAL flushes per record.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.servers import STATISTICS_DELAY, BenchServers
from benchmarks.service_process import RunningService, service_process
from benchmarks.stats import percentile
from tvers_desk.domain.sites import DEFAULT_SITES
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

DESKS = 20
SITES = sorted(DEFAULT_SITES)
DEPARTMENTS = ["library", "citizen_service", "volunteer_centre"]
CHANNELS = ["in_person", "phone", "email"]
DURATIONS = ["under_5_minutes", "5_to_15_minutes", "over_15_minutes"]
WARM_UP_SECONDS = 1.0
#: Rounds of the same-instant case sent first and not counted: a process just started imports
#: and fills its caches on its first requests (a desk service runs for days).
WARM_UP_ROUNDS = 3
#: How often a desk records in the aim's case, on average (seconds between its records).
MEAN_SECONDS_BETWEEN_RECORDS = 1.0
AIM_RECORD_P99_MS = 30.0

Result = dict[str, Any]


def help_body(n: int, site: str, categories: list[str]) -> dict[str, str]:
    """The ``n``-th record of a desk at ``site``: codes going round, every fifth referred on."""
    department = DEPARTMENTS[n % len(DEPARTMENTS)]
    body = {
        "site": site,
        "department": department,
        "category_id": categories[n % len(categories)],
        "channel": CHANNELS[n % len(CHANNELS)],
        "duration": DURATIONS[n % len(DURATIONS)],
    }
    if n % 5 == 0:
        body["referred_to"] = DEPARTMENTS[(n + 1) % len(DEPARTMENTS)]
    return body


class Desk:
    """One desk's phone or PC: its own keep-alive connection and desk token (aiohttp's client,
    which leaves the service more of the two cores than httpx's)."""

    def __init__(self, url: str, site: str) -> None:
        self.site = site
        self.session = aiohttp.ClientSession(
            base_url=url,
            headers=bearer(Role.DESK, site_id=site, audience=["desk"]),
            connector=aiohttp.TCPConnector(limit=1),
            timeout=aiohttp.ClientTimeout(total=30),
        )

    async def record(self, body: dict[str, str]) -> float:
        """Record help given; how long the answer took (ms)."""
        started = time.perf_counter()
        async with self.session.post(
            "/help", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
        ) as response:
            answer = await response.read()
        took = (time.perf_counter() - started) * 1000
        if response.status != 201:
            raise RuntimeError(f"POST /help at {self.site}: {response.status} {answer[:400]!r}")
        return took


@contextlib.contextmanager
def client_collections_paused() -> Iterator[None]:
    """Keep the measuring client's garbage collections out of what it measures: what it has
    built so far is frozen, and collection is paused until the block ends (under a minute).
    Call :func:`collect_between` where a pause would not be measured."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def collect_between() -> None:
    """The client's young garbage, collected where nothing is being measured."""
    gc.collect(1)


def latency_figures(latencies: list[float]) -> Result:
    return {
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies),
        "events": len(latencies),
    }


async def offered_categories(desk: Desk) -> list[str]:
    """The categories a desk may record with (the seeded defaults)."""
    async with desk.session.get("/categories") as response:
        listed = await response.json()
    if response.status != 200:
        raise RuntimeError(f"GET /categories: {response.status} {listed}")
    return [c["category_id"] for c in listed if not c["retired"]]


async def desks_recording(servers: BenchServers, service: RunningService, seconds: float) -> Result:
    """:data:`DESKS` desks recording one after the other for ``seconds`` (after an uncounted
    warm-up); latencies, throughput, CPU and WAL flushes per record."""
    desks = [Desk(service.url, SITES[d % len(SITES)]) for d in range(DESKS)]
    latencies: list[float] = []
    try:
        categories = await offered_categories(desks[0])

        async def recording(desk: Desk, until: float, *, counted: bool) -> None:
            n = 0
            while time.perf_counter() < until:
                took = await desk.record(help_body(n, desk.site, categories))
                n += 1
                if counted:
                    latencies.append(took)

        async def all_desks(for_seconds: float, *, counted: bool) -> None:
            until = time.perf_counter() + for_seconds
            await asyncio.gather(*(recording(d, until, counted=counted) for d in desks))

        await all_desks(WARM_UP_SECONDS, counted=False)
        await asyncio.sleep(STATISTICS_DELAY)
        flushes_before = await servers.wal_flushes()
        with client_collections_paused():
            started, cpu_before = time.perf_counter(), service.cpu_seconds()
            await all_desks(seconds, counted=True)
            elapsed = time.perf_counter() - started
        cpu = service.cpu_seconds() - cpu_before
        load = os.getloadavg()[0]
        await asyncio.sleep(STATISTICS_DELAY)
        flushes = await servers.wal_flushes() - flushes_before
    finally:
        await asyncio.gather(*(desk.session.close() for desk in desks))
    return {
        **latency_figures(latencies),
        "events_per_second": len(latencies) / elapsed,
        "seconds": elapsed,
        "cpu_ms_per_request": 1000 * cpu / len(latencies),
        "wal_flushes_per_request": flushes / len(latencies),
        "load_1m": load,
    }


async def desks_at_once(replicas: list[RunningService], rounds: int) -> Result:
    """:data:`DESKS` desks each sending one record in the same instant, once a second for
    ``rounds`` rounds (after :data:`WARM_UP_ROUNDS` uncounted); the latencies of every record.
    With several replicas the desks are shared out among them, as a Kubernetes Service would."""
    desks = [Desk(replicas[d % len(replicas)].url, SITES[d % len(SITES)]) for d in range(DESKS)]
    latencies: list[float] = []
    try:
        categories = await offered_categories(desks[0])
        with client_collections_paused():
            for round_number in range(WARM_UP_ROUNDS + rounds):
                started = time.perf_counter()
                took = await asyncio.gather(
                    *(
                        desk.record(help_body(round_number + d, desk.site, categories))
                        for d, desk in enumerate(desks)
                    )
                )
                if round_number >= WARM_UP_ROUNDS:
                    latencies.extend(took)
                collect_between()
                await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))
    finally:
        await asyncio.gather(*(desk.session.close() for desk in desks))
    return {**latency_figures(latencies), "load_1m": os.getloadavg()[0]}


async def desks_recording_at_random(service: RunningService, seconds: float) -> Result:
    """:data:`DESKS` desks in use together for ``seconds``, each recording at random moments
    (:data:`MEAN_SECONDS_BETWEEN_RECORDS` apart on average, a fixed seed), after one uncounted
    record each; the latencies of every record, and the service's CPU per record."""
    desks = [Desk(service.url, SITES[d % len(SITES)]) for d in range(DESKS)]
    latencies: list[float] = []
    chance = random.Random(1508)
    try:
        categories = await offered_categories(desks[0])
        await asyncio.gather(
            *(desk.record(help_body(d, desk.site, categories)) for d, desk in enumerate(desks))
        )

        async def counter(desk: Desk, until: float) -> None:
            n = 0
            while True:
                await asyncio.sleep(chance.expovariate(1 / MEAN_SECONDS_BETWEEN_RECORDS))
                if time.perf_counter() >= until:
                    return
                latencies.append(await desk.record(help_body(n, desk.site, categories)))
                n += 1

        with client_collections_paused():
            started, cpu_before = time.perf_counter(), service.cpu_seconds()
            await asyncio.gather(*(counter(desk, started + seconds) for desk in desks))
            cpu = service.cpu_seconds() - cpu_before
            elapsed = time.perf_counter() - started
    finally:
        await asyncio.gather(*(desk.session.close() for desk in desks))
    return {
        **latency_figures(latencies),
        "events_per_second": len(latencies) / elapsed,
        "cpu_ms_per_request": 1000 * cpu / len(latencies),
        "load_1m": os.getloadavg()[0],
    }


async def desk_group(servers: BenchServers, scale: float) -> list[Result]:
    """Twenty desks recording at once on a fresh database and service process, the burst and the
    ceiling beside it; and the aim."""
    seconds = max(1.0, 10 * scale)
    await servers.forget_streams()
    database = await servers.new_database()
    rounds = max(3, int(20 * scale))
    with tempfile.TemporaryDirectory(prefix="tvers-bench-desk-") as folder:
        log = Path(folder) / "desk.log"
        async with service_process("tvers_desk", database, servers.nats.url, log, {}) as service:
            at_random = await desks_recording_at_random(service, max(5.0, 40 * scale))
            at_once = await desks_at_once([service], rounds)
            figures = await desks_recording(servers, service, seconds)
            async with service_process(
                "tvers_desk", database, servers.nats.url, Path(folder) / "desk-2.log", {}
            ) as second:
                at_once_on_two = await desks_at_once([service, second], rounds)
    p99 = at_random["p99_ms"]
    return [
        {
            "name": f"desk: record help, {DESKS} desks recording at once, each at random moments "
            f"{MEAN_SECONDS_BETWEEN_RECORDS:.0f} s apart on average",
            **at_random,
        },
        {
            "name": f"desk: burst: {DESKS} records in the same instant, once a second",
            **at_once,
        },
        {
            "name": f"desk: burst: the same, {DESKS} desks shared by two replicas of the service",
            **at_once_on_two,
        },
        {
            "name": f"desk: ceiling: {DESKS} desks recording flat out at {len(SITES)} sites",
            **figures,
        },
        {
            "name": f"desk: record p99 under {AIM_RECORD_P99_MS:.0f} ms, {DESKS} desks at once",
            "ratio": AIM_RECORD_P99_MS / p99,
            "aim": 1.0,
            "met": p99 < AIM_RECORD_P99_MS,
        },
    ]
