"""A card number shown at a door appears nowhere in clear; a second ``tvers up`` on the same data
folder, or a port in use, is a clear error."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import nats
import pytest

from tvers_cli.demo.patrons import demo_patrons
from tvers_cli.layout import DataDir
from tvers_contracts import stream_name
from tvers_runtime.auth import Role
from tvers_runtime.projection import OrderedStreamReader

pytestmark = [pytest.mark.servers, pytest.mark.slow, pytest.mark.xdist_group("e2e")]
#: A card the stand-in library system knows (the demo's first patron), with its PIN.
CARD, PIN = demo_patrons()[0].card, demo_patrons()[0].pin
ALL_WEEK_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "23:59", "kind": "meirope"} for d in range(1, 8)
]


def present_a_card(tvers: Any) -> None:
    staff = tvers.token(Role.STAFF)
    access = tvers.url("access")
    with tvers.client() as http:
        http.post(
            f"{access}/branches", json={"branch_id": "haroy", "name": "Harøy"}, headers=staff
        ).raise_for_status()
        http.put(
            f"{access}/branches/haroy/schedule", json={"periods": ALL_WEEK_MEIROPE}, headers=staff
        ).raise_for_status()
        http.post(
            f"{access}/doors",
            headers=staff,
            json={"door_id": "haroy-hovuddor", "branch_id": "haroy", "name": "Hovuddør"},
        ).raise_for_status()
        http.post(
            f"{access}/agreements", json={"card_number": CARD}, headers=staff
        ).raise_for_status()
        for pin in (PIN, "12x4"):  # the second is bad input: its error must not echo the card
            response = http.post(
                f"{access}/doors/haroy-hovuddor/presentations",
                json={"card_number": CARD, "pin": pin},
                headers=tvers.token(Role.DOOR, door_id="haroy-hovuddor"),
            )
            assert CARD not in response.text


async def jetstream_messages(tvers: Any) -> list[bytes]:
    password = DataDir(tvers.data_dir).secret("nats-tvers.password")
    client = await nats.connect(f"nats://tvers:{password}@127.0.0.1:{tvers.ports['nats']}")
    found: list[bytes] = []
    try:
        for stream in ("ACCESS", "VOLUNTEERS", "VISITS"):
            reader = OrderedStreamReader(client, stream)
            await reader.start_at(1)
            while batch := await reader.take(1000, timeout=0.5):
                found += [m.data + repr(m.headers).encode() for m in batch]
            await reader.close()
    finally:
        await client.close()
    return found


def test_a_card_number_appears_nowhere_in_clear(tvers: Any) -> None:
    present_a_card(tvers)
    for _ in range(50):  # the relay publishes within moments
        messages = asyncio.run(jetstream_messages(tvers))
        if any(b"EntryGranted" in m for m in messages):
            break
        time.sleep(0.2)
    assert any(b"EntryGranted" in m for m in messages), "the presentation was published"
    assert not any(CARD.encode() in m for m in messages)
    time.sleep(1.0)  # projected, logged, flushed
    tvers.stop()  # every server writes out what it holds
    needles = {CARD.encode(), CARD.lower().encode(), CARD.encode("utf-16-le")}
    leaks = [
        str(path)
        for path in tvers.data_dir.rglob("*")
        if path.is_file() and any(n in path.read_bytes() for n in needles)
    ]
    # Events (PostgreSQL files and WAL), JetStream's store, read models, logs: all in the folder.
    assert leaks == []
    assert any(tvers.data_dir.rglob("*.log"))


def test_a_second_up_on_the_same_data_folder_says_it_is_running(running_tvers: Any) -> None:
    tvers = running_tvers
    second = subprocess.run(
        [
            sys.executable,
            "-m",
            "tvers_cli",
            "up",
            "--data-dir",
            str(tvers.data_dir),
            "--reporting-port",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 1
    assert "already running" in second.stdout


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "tvers_cli",
                "up",
                "--data-dir",
                str(tmp_path / "d"),
                "--access-port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"port {port} (access)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


async def try_as(tvers: Any, user: str) -> dict[str, str]:
    """What a service's NATS user may not do: each attempt's outcome."""
    password = DataDir(tvers.data_dir).secret(f"nats-{user}.password")
    errors: list[str] = []

    async def remember(error: Exception) -> None:
        errors.append(str(error))

    client = await nats.connect(
        f"nats://{user}:{password}@127.0.0.1:{tvers.ports['nats']}", error_cb=remember
    )
    outcomes: dict[str, str] = {}
    own = stream_name(user)

    async def attempt(name: str, action: Awaitable[object]) -> None:
        try:
            await action
        except Exception as error:
            outcomes[name] = type(error).__name__
        else:
            outcomes[name] = "allowed"

    try:
        # A refused request is never answered: each waits out its timeout, so all at once.
        await asyncio.gather(
            attempt(
                "publish into another service's stream",
                client.jetstream().publish("volunteers.shift.shift_claimed", b"{}", timeout=2),
            ),
            attempt(
                "delete another service's stream",
                client.jsm(timeout=1).delete_stream("VOLUNTEERS"),
            ),
            attempt("delete its own stream", client.jsm(timeout=1).delete_stream(own)),
        )
        # What it may do works: the refusals above are permissions, not a broken connection.
        info = await client.jsm().stream_info(own)
        outcomes["read its own stream's info"] = info.config.name or ""
        await asyncio.sleep(0.2)
    finally:
        await client.close()
    assert any("permissions violation" in e.lower() for e in errors), errors
    return outcomes


@pytest.mark.parametrize("service", ["access", "desk"])
def test_a_service_may_touch_only_its_own_subjects_on_nats(
    running_tvers: Any, service: str
) -> None:
    outcomes = asyncio.run(try_as(running_tvers, service))
    assert outcomes.pop("read its own stream's info") == service.upper()
    assert "allowed" not in outcomes.values(), outcomes
