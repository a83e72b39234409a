"""The volunteers service as ``tvers up`` runs it, for the volunteers benchmark: ``python -m
tvers_volunteers`` as a process of its own (see :mod:`benchmarks.service_process`) with the tests'
vault master key; and what the volunteers claim and read, set up as in a deployment: the branches
from access's ``BranchRegistered`` on the ACCESS stream, the volunteers and shifts through the
staff API."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import httpx
import nats

from benchmarks.service_process import RunningService, declare_stream, service_process
from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import publish_branch_registered
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.people import eligible_volunteer
from tvers_volunteers.testing.settings import TEST_VAULT_MASTER_KEY
from tvers_volunteers.testing.shifts import publish_shift

STAFF = bearer(Role.STAFF, audience=["volunteers"])
#: Set-up calls in flight at once (the set-up is not measured; this only keeps it short).
SET_UP_CONCURRENCY = 8
LEARN_TIMEOUT = 30.0
T = TypeVar("T")


@contextlib.asynccontextmanager
async def volunteers_process(
    database_url: str, nats_url: str, log_path: Path
) -> AsyncIterator[RunningService]:
    """``python -m tvers_volunteers`` until it says it is ready (database, NATS, relay, and its
    subscribers, which read access's stream); yields it, and stops it afterwards."""
    await declare_stream(nats_url, "access")
    async with service_process(
        "tvers_volunteers",
        database_url,
        nats_url,
        log_path,
        {"TVERS_VAULT_MASTER_KEY": TEST_VAULT_MASTER_KEY},
    ) as service:
        yield service


def staff_client(url: str) -> httpx.AsyncClient:
    """A client of the service with a staff token, for the set-up."""
    return httpx.AsyncClient(base_url=url, headers=STAFF, timeout=30.0)


async def at_most(calls: Iterable[Awaitable[T]], concurrency: int = SET_UP_CONCURRENCY) -> list[T]:
    """Await ``calls`` with at most ``concurrency`` in flight; their results in order."""
    gate = asyncio.Semaphore(concurrency)

    async def gated(call: Awaitable[T]) -> T:
        async with gate:
            return await call

    return list(await asyncio.gather(*(gated(call) for call in calls)))


async def register_branches(url: str, nats_url: str, branch_ids: list[str]) -> None:
    """Publish each branch's ``BranchRegistered`` on the ACCESS stream, as access's relay would,
    and wait until the service has learned them all (``GET /branches``)."""
    client = await nats.connect(nats_url)
    try:
        for branch_id in branch_ids:
            await publish_branch_registered(client, branch_id, branch_id.title())
    finally:
        await client.close()
    deadline = time.monotonic() + LEARN_TIMEOUT
    async with staff_client(url) as staff:
        while True:
            known = {b["branch_id"] for b in (await staff.get("/branches")).json()}
            if known >= set(branch_ids):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the service learned {sorted(known)}, not {branch_ids}")
            await asyncio.sleep(0.1)


async def eligible_volunteers(url: str, count: int) -> list[tuple[uuid.UUID, dict[str, str]]]:
    """Register ``count`` volunteers and make them eligible to host, as staff; their ids and
    volunteer tokens."""
    async with staff_client(url) as staff:
        return await at_most(eligible_volunteer(staff) for _ in range(count))


async def publish_shifts(url: str, shifts: list[tuple[str, datetime, int]]) -> list[str]:
    """Publish two-hour hosting shifts, each ``(branch_id, starts, capacity)``; their ids in
    order."""
    async with staff_client(url) as staff:
        return await at_most(
            publish_shift(staff, starts, branch_id=branch_id, capacity=capacity)
            for branch_id, starts, capacity in shifts
        )
