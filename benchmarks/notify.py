"""Does the ``pg_notify`` in ``tvers_append`` cost append throughput?

A transaction that has called ``pg_notify`` takes, at commit, a lock that is one for the whole
PostgreSQL server, and holds it until its commit is on disk. Notifying commits therefore follow
one another, in every database of the server, where commits without it share a WAL flush.

Single-event appends from 32 clients (as in the append group) run on one service database, then
on two databases of the same server at once, each with and without the notify. "Without" is the
migration's own planning function with its ``PERFORM pg_notify`` line taken out, installed in that
benchmark database only. Each database is loaded by a process of its own
(:mod:`benchmarks.notify_load`), with a LISTEN open as the relay keeps one.

The variants alternate over five rounds; the figures are medians over the rounds, and
``with_over_without`` is the median of each round's ratio (the machine's load drifts; a ratio
within a round drifts less). ``lock_wait_pct`` is the share of the writers' busy samples spent
waiting for the notify lock (wait event ``Lock: object``); ``events_per_commit`` is how many events
each appending transaction stored.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from statistics import median
from typing import Any

from benchmarks.notify_load import events_per_commit, load_at_once
from benchmarks.servers import BenchServers
from tvers_runtime.eventstore import MIGRATIONS
from tvers_runtime.testing.pipeline import service_pool

ROUNDS = 5
_NOTIFY_LINE = re.compile(r"^\s*PERFORM pg_notify\(.*\);[ \t]*$", re.MULTILINE)


def append_function_without_notify() -> str:
    """The migration's ``tvers_plan_append`` (which notifies the relay), as a replacement, with
    its notify taken out."""
    path = MIGRATIONS.folder / "0003_set_based_append.sql"
    text = path.read_text(encoding="utf-8")
    function = text[text.index("CREATE FUNCTION tvers_plan_append(") :]
    without, found = _NOTIFY_LINE.subn("        NULL;", function)
    if found != 1:
        raise RuntimeError(f"{path} no longer has the shape this benchmark edits")
    return without.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


async def prepare(url: str, *, notify: bool) -> None:
    """Migrate a fresh database; without ``notify``, replace its append function."""
    pool = await service_pool(url)
    try:
        if not notify:
            await pool.execute(append_function_without_notify())
    finally:
        await pool.close()


@dataclass
class Run:
    """One load of one variant on one or two databases at once."""

    rates: list[float]  # events/s of each database
    p50_ms: float
    p99_ms: float
    lock_wait_pct: float
    events_per_commit: float


async def one_run(servers: BenchServers, databases: int, notify: bool, per_client: int) -> Run:
    """Fresh databases of the variant, loaded at once."""
    urls = [await servers.new_database() for _ in range(databases)]
    for url in urls:
        await prepare(url, notify=notify)
    figures, lock_wait_pct = await load_at_once(servers.postgres.url(), urls, per_client)
    return Run(
        rates=[each["events_per_second"] for each in figures],
        p50_ms=median(each["p50_ms"] for each in figures),
        p99_ms=median(each["p99_ms"] for each in figures),
        lock_wait_pct=lock_wait_pct,
        events_per_commit=median([await events_per_commit(url) for url in urls]),
    )


def summary(databases: int, notify: bool, runs: list[Run], ratio: float) -> list[dict[str, Any]]:
    """Medians over the rounds: each database's rate and their sum, latencies, lock waits."""
    places = "1 database" if databases == 1 else f"{databases} databases at once"
    label = f"notify: {places}, {'with' if notify else 'without'} pg_notify"
    rows: list[dict[str, Any]] = []
    if databases > 1:
        for number in range(databases):
            rate = median(run.rates[number] for run in runs)
            rows.append({"name": f"{label}: database {number + 1}", "events_per_second": rate})
        label += ": sum"
    row = {
        "name": label,
        "events_per_second": median(sum(run.rates) for run in runs),
        "p50_ms": median(run.p50_ms for run in runs),
        "p99_ms": median(run.p99_ms for run in runs),
        "lock_wait_pct": median(run.lock_wait_pct for run in runs),
        "events_per_commit": median(run.events_per_commit for run in runs),
        "rounds": [sum(run.rates) for run in runs],
    }
    if notify:
        row["with_over_without"] = ratio
    return [*rows, row]


async def notify_group(servers: BenchServers, scale: float) -> list[dict[str, Any]]:
    """With and without the notify, on one database and on two at once, in alternating rounds
    (the machine's load drifts; a ratio within a round does not)."""
    per_client = max(20, int(300 * scale))
    rounds = ROUNDS if scale >= 1 else 1
    results: list[dict[str, Any]] = []
    for databases in (1, 2):
        runs: dict[bool, list[Run]] = {True: [], False: []}
        for number in range(rounds):
            for notify in (True, False) if number % 2 == 0 else (False, True):
                runs[notify].append(await one_run(servers, databases, notify, per_client))
        ratio = median(
            sum(with_.rates) / sum(without.rates)
            for with_, without in zip(runs[True], runs[False], strict=True)
        )
        for notify in (True, False):
            results += summary(databases, notify, runs[notify], ratio)
        results[-1]["load_1m"] = os.getloadavg()[0]
    return results
