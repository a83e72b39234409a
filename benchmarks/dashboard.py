"""The reporting service with a year of every strand (issue 10's speed figures): ``python -m
tvers_reporting`` as ``tvers up`` runs it (:mod:`benchmarks.service_process`), on a database of
the benchmark servers and their NATS, after a year of events for ten branches was published on
the owners' streams (:mod:`benchmarks.dashboard_year`).

- **Catch-up**: from the service's start until every projection's every source has applied its
  stream and has no lag (``GET /api/status``), as events per second. The status is refreshed at
  least once a second (a runner waits up to a second for more), so the time is that close.
- **API**: each ``GET /api/*`` route over the year (the last 365 days), sequential requests.
- **Dashboard**: ``GET /`` signed in, for the default period and for one branch.
- **Event visible**: one meirope ``EntryGranted`` published on the ACCESS stream, until
  ``/api/meirope/entries-by-hour`` for that branch and day counts it.
- **Yearly report**: ``GET /report/{year}.pdf`` for the current year.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from benchmarks.dashboard_year import OSLO, Year, a_year, publish_all
from benchmarks.servers import BenchServers
from benchmarks.service_process import service_process
from benchmarks.stats import percentile
from tvers_contracts.events.access import EntryGranted
from tvers_contracts.values import OpeningKind
from tvers_reporting.testing.dashboard import viewer_token
from tvers_reporting.testing.story import publish
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

Result = dict[str, Any]
VIEWER = bearer(Role.VIEWER, audience=["reporting"])
AIM_API_P95_MS = 50.0
AIM_PAGE_P95_MS = 300.0
AIM_VISIBLE_P95_MS = 2000.0
CATCH_UP_TIMEOUT = 1800.0
VISIBLE_TIMEOUT = 30.0


def _latencies(name: str, seconds: list[float]) -> Result:
    ms = [s * 1000 for s in seconds]
    return {
        "name": name,
        "events": len(ms),
        "p50_ms": percentile(ms, 0.50),
        "p95_ms": percentile(ms, 0.95),
        "p99_ms": percentile(ms, 0.99),
        "max_ms": max(ms),
    }


def _aim(name: str, p95: float, aim: float) -> Result:
    return {"name": name, "ratio": aim / p95, "aim": 1.0, "met": p95 < aim}


async def _timed(call: Callable[[], Awaitable[httpx.Response]], times: int) -> list[float]:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        response = await call()
        spent.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{response.request.url} answered {response.status_code}")
    return spent


async def _caught_up(client: httpx.AsyncClient) -> tuple[bool, int]:
    """Whether every projection has applied every source to its end; its dead letters."""
    projections = (await client.get("/api/status")).json()["projections"]
    dead = sum(p["dead_letters"] for p in projections.values())
    sources = [s for p in projections.values() for s in p["sources"].values()]
    done = bool(sources) and all(s["lag"] == 0 and s["applied"] > 0 for s in sources)
    return done, dead


async def _dead_letters(database_url: str) -> list[str]:
    """What each projection parked, and why: the type, the reason and how many."""
    connection = await asyncpg.connect(database_url)
    try:
        found = []
        for schema in await connection.fetch(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm\\_%' ORDER BY 1"
        ):
            name = schema["nspname"]
            rows = await connection.fetch(
                f"""SELECT event_type, reason, count(*) AS n FROM "{name}"._dead_letters
                GROUP BY 1, 2 ORDER BY 3 DESC"""
            )
            found += [f"{name}: {r['n']} x {r['event_type']}: {r['reason']}" for r in rows]
        return found
    finally:
        await connection.close()


async def _catch_up(client: httpx.AsyncClient, started: float, events: int) -> Result:
    deadline = started + CATCH_UP_TIMEOUT
    while True:
        done, dead = await _caught_up(client)
        if done:
            seconds = time.monotonic() - started
            return {
                "name": "dashboard: catch-up of every read model from a year (service start)",
                "events": events,
                "seconds": seconds,
                "events_per_second": events / seconds,
                "dead_letters": dead,
            }
        if time.monotonic() > deadline:
            raise RuntimeError(f"not caught up after {CATCH_UP_TIMEOUT} s")
        await asyncio.sleep(0.1)


def _routes(year: int, first: str, last: str, branch: str) -> list[str]:
    period = f"from={first}&to={last}"
    school_year = f"{year - 1}-{year}"
    return [
        f"/api/daily?{period}",
        f"/api/daily?{period}&branch_id={branch}",
        *(
            f"/api/meirope/{r}?{period}"
            for r in ("denials", "entries-by-hour", "visitors", "incidents", "open-hours")
        ),
        f"/api/meirope/entries-by-hour?{period}&branch_id={branch}",
        *(
            f"/api/volunteers/{r}?{period}"
            for r in ("shifts", "hours", "active", "recruitment", "certificates", "host-coverage")
        ),
        *(
            f"/api/schools/{r}?school_year={school_year}"
            for r in ("coverage", "reach", "deposits", "theme-days")
        ),
        f"/api/national-statistics/{year}",
        f"/api/national-statistics/{year}.csv",
    ]


async def _api(client: httpx.AsyncClient, routes: list[str], times: int) -> list[Result]:
    results = []
    for route in routes:
        await client.get(route)  # warm: the first call compiles the statements
        spent = await _timed(lambda route=route: client.get(route), times)  # type: ignore[misc]
        results.append({**_latencies(f"dashboard: GET {route}", spent), "route": route})
    return results


async def _pages(url: str, branch: str, times: int) -> list[Result]:
    async with httpx.AsyncClient(base_url=url, timeout=60.0) as browser:
        signed_in = await browser.post("/sign-in", data={"token": viewer_token()})
        if signed_in.status_code != 303:
            raise RuntimeError(f"signing in answered {signed_in.status_code}")
        results = []
        for label, path in (("default period", "/"), (f"branch {branch}", f"/?branch={branch}")):
            await browser.get(path)
            spent = await _timed(lambda path=path: browser.get(path), times)  # type: ignore[misc]
            name = f"dashboard: page GET / signed in, {label}"
            results.append({**_latencies(name, spent), "page": label})
        return results


def _meirope_entries(rows: list[dict[str, Any]]) -> int:
    return sum(int(r["meirope"]) for r in rows)


async def _visible(client: httpx.AsyncClient, nats_url: str, year: Year, times: int) -> Result:
    branch, door = year.door
    spent = []
    for _ in range(times):
        now = datetime.now(UTC)
        day = now.astimezone(OSLO).date()
        route = f"/api/meirope/entries-by-hour?from={day}&to={day}&branch_id={branch}"
        before = _meirope_entries((await client.get(route)).json())
        year.story.add(
            f"door-{door}",
            now,
            EntryGranted(
                door_id=door,
                branch_id=branch,
                patron_ref=f"{len(year.envelopes):032x}",
                opening=OpeningKind.MEIROPE,
                verified=True,
            ),
        )
        started = time.perf_counter()
        await publish(nats_url, [year.envelopes[-1]])
        while _meirope_entries((await client.get(route)).json()) == before:
            if time.perf_counter() - started > VISIBLE_TIMEOUT:
                raise RuntimeError("the new entry did not show")
            await asyncio.sleep(0.01)
        spent.append(time.perf_counter() - started)
        await asyncio.sleep(0.2)
    return _latencies("dashboard: a new meirope entry visible in /api/meirope", spent)


async def _yearly_report(client: httpx.AsyncClient, year: int) -> Result:
    spent = await _timed(lambda: client.get(f"/report/{year}.pdf"), 1)
    return {"name": f"dashboard: GET /report/{year}.pdf", "seconds": spent[0]}


async def dashboard_group(servers: BenchServers, scale: float) -> list[Result]:
    """A year of every strand for ten branches; the catch-up, the API, the page, an event seen
    and the yearly report; and the issue's aims."""
    now = datetime.now(UTC)
    made = time.perf_counter()
    year = await asyncio.to_thread(a_year, now, scale)
    events = len(year.envelopes)
    print(f"dashboard: {events} events built in {time.perf_counter() - made:.1f} s", flush=True)
    published = time.perf_counter()
    await publish_all(servers.nats.url, year.envelopes)
    seconds = time.perf_counter() - published
    print(f"dashboard: {events} events published in {seconds:.1f} s", flush=True)
    today = now.astimezone(ZoneInfo("Europe/Oslo")).date()
    first, last = today - timedelta(days=364), today
    branch = year.door[0]
    times = max(10, int(50 * scale))
    with tempfile.TemporaryDirectory(prefix="tvers-bench-dashboard-") as folder:
        database = await servers.new_database()
        started = time.monotonic()
        async with service_process(
            "tvers_reporting", database, servers.nats.url, Path(folder) / "reporting.log", {}
        ) as service:
            ready = time.monotonic() - started
            async with httpx.AsyncClient(
                base_url=service.url, headers=VIEWER, timeout=120.0
            ) as api:
                catch_up = {**await _catch_up(api, started, events), "ready_seconds": ready}
                catch_up["parked"] = await _dead_letters(database)
                if catch_up["parked"]:
                    print("dashboard: dead letters:", *catch_up["parked"], sep="\n  ", flush=True)
                routes = await _api(api, _routes(today.year, str(first), str(last), branch), times)
                pages = await _pages(service.url, branch, max(10, int(30 * scale)))
                visible = await _visible(api, servers.nats.url, year, max(5, int(20 * scale)))
                report = await _yearly_report(api, today.year)
    worst = max(routes, key=lambda r: r["p95_ms"])
    return [
        {"name": "dashboard: events of a year published", "events": events, "seconds": seconds},
        catch_up,
        *routes,
        *pages,
        visible,
        report,
        _aim(
            f"API p95 under {AIM_API_P95_MS:.0f} ms, the worst: {worst['route']}",
            worst["p95_ms"],
            AIM_API_P95_MS,
        ),
        *(
            _aim(
                f"page p95 under {AIM_PAGE_P95_MS:.0f} ms, {p['page']}",
                p["p95_ms"],
                AIM_PAGE_P95_MS,
            )
            for p in pages
        ),
        _aim(
            f"a new event visible, p95 under {AIM_VISIBLE_P95_MS / 1000:.0f} s",
            visible["p95_ms"],
            AIM_VISIBLE_P95_MS,
        ),
    ]
