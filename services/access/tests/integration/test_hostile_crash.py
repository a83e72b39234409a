"""Hostile test: the access service as a process of its own, killed with SIGKILL while doors
present cards, then started again. The panels retry what got no answer, with the same keys.
Nothing accepted is lost or doubled: in the event store nor on JetStream."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import nats
import pytest

from tvers_access.testing.sip2_peer import Sip2Peer
from tvers_runtime.auth import Role
from tvers_runtime.embedded.ports import free_port
from tvers_runtime.testing.http import TEST_KEY, bearer
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = [pytest.mark.servers, pytest.mark.slow]
STAFF = bearer(Role.STAFF)
DOORS = [f"skodje-dor-{n}" for n in range(5)]
TOKENS = {door: bearer(Role.DOOR, door_id=door) for door in DOORS}
ADULT, ADULT_PIN = "1508000101", "2468"
ALL_DAY_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": "meirope"} for d in range(1, 8)
]


class AccessProcess:
    """``python -m tvers_access`` with the test's database, NATS and library system."""

    def __init__(self, environment: dict[str, str], log: Path) -> None:
        self.environment = environment
        self.log = log
        self.port = int(environment["TVERS_HTTP_PORT"])
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tvers_access"],
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.environment},
            )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    async def ready(self, client: httpx.AsyncClient) -> None:
        for _ in range(600):
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(self.log.read_text(errors="replace"))
            try:
                # /healthz, not /readyz: the latter waits for the VOLUNTEERS stream, which no
                # volunteers service makes here (see test_hostile_readiness.py).
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError("the access process did not get ready")


@pytest.fixture
def access_process(
    database_url: str, nats_server: NatsUnderTest, sip2_peer: Sip2Peer, tmp_path: Path
) -> Iterator[AccessProcess]:
    environment = {
        "TVERS_DATABASE_URL": database_url,
        "TVERS_NATS_URL": nats_server.url,
        "TVERS_AUTH_KEY": TEST_KEY.decode(),
        "TVERS_LOG_JSON": "true",
        "TVERS_HTTP_PORT": str(free_port()),
        "TVERS_PATRON_KEY": "patron-key-for-the-tests-0123456789abcdef",
        "TVERS_SIP2_PORT": str(sip2_peer.port),
        "TVERS_SIP2_LOGIN_USER": sip2_peer.directory.login_user,
        "TVERS_SIP2_PASSWORD": sip2_peer.directory.login_password,
        "TVERS_SIP2_INSTITUTION_ID": sip2_peer.directory.institution_id,
        "TVERS_SIP2_TIMEOUT": "2",
        "TVERS_SCHEDULER_INTERVAL_SECONDS": "0.5",
    }
    process = AccessProcess(environment, tmp_path / "access.log")
    yield process
    if process.process is not None and process.process.poll() is None:
        process.kill()


async def test_no_accepted_presentation_is_lost_or_doubled_by_a_kill_and_restart(
    access_process: AccessProcess, database_url: str, nats_server: NatsUnderTest
) -> None:
    access_process.start()
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{access_process.port}", timeout=10.0
    ) as client:
        await access_process.ready(client)
        setup = [
            await client.post(
                "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
            ),
            await client.put(
                "/branches/skodje/schedule", json={"periods": ALL_DAY_MEIROPE}, headers=STAFF
            ),
            *[
                await client.post(
                    "/doors", json={"door_id": d, "branch_id": "skodje", "name": d}, headers=STAFF
                )
                for d in DOORS
            ],
            await client.post("/agreements", json={"card_number": ADULT}, headers=STAFF),
        ]
        assert all(r.is_success for r in setup), [r.text for r in setup]

        numbers = itertools.count()
        answered: dict[tuple[str, str], dict[str, object]] = {}
        unanswered: list[tuple[str, str]] = []
        under_load = asyncio.Event()

        async def present(door: str, key: str) -> httpx.Response:
            return await client.post(
                f"/doors/{door}/presentations",
                json={"card_number": ADULT, "pin": ADULT_PIN},
                headers={**TOKENS[door], "Idempotency-Key": key},
            )

        async def panel(door: str) -> None:
            while True:
                key = f"{door}-{next(numbers)}"
                try:
                    reply = await present(door, key)
                except httpx.TransportError:
                    unanswered.append((door, key))
                    return
                assert reply.status_code == 200, reply.text
                answered[(door, key)] = reply.json()
                if len(answered) >= 60:
                    under_load.set()

        panels = [asyncio.create_task(panel(d)) for d in DOORS]
        await under_load.wait()
        access_process.kill()
        await asyncio.gather(*panels)

        assert len(unanswered) == len(DOORS)  # each panel had a request under way
        access_process.start()
        await access_process.ready(client)
        for door, key in unanswered:  # the panels try again, with the same keys
            reply = await present(door, key)
            assert reply.status_code == 200, reply.text
            answered[(door, key)] = reply.json()
        for (door, key), first in list(answered.items())[::5]:
            again = await present(door, key)
            assert again.json() == first, (door, key)

    import asyncpg  # noqa: PLC0415

    connection = await asyncpg.connect(database_url)
    try:
        stored = await connection.fetchval(
            "SELECT count(*) FROM events WHERE stream_id LIKE 'presentations-%'"
        )
        month_keys = await connection.fetchval("SELECT count(*) FROM patron_month_keys")
    finally:
        await connection.close()
    assert stored == len(answered), (stored, len(answered), unanswered)
    assert month_keys == 1

    published = 0
    client_nats = await nats.connect(nats_server.url)
    try:
        for _ in range(300):
            info = await client_nats.jsm().stream_info("ACCESS", subjects_filter="access.door.>")
            subjects = info.state.subjects or {}
            published = sum(
                subjects.get(f"access.door.{kind}", 0) for kind in ("entry_granted", "entry_denied")
            )
            if published >= stored:
                break
            await asyncio.sleep(0.1)
    finally:
        await client_nats.close()
    assert published == stored
