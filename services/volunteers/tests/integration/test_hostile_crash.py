"""Hostile test: the volunteers service as a process of its own, killed with SIGKILL while
volunteers claim, wait for, release, check in and check out of shifts and staff deactivate
volunteers and cancel a shift, then started again. The clients retry what got no answer, with
the same keys.

Afterwards every accepted command is in the event store exactly once, and relayed; no shift is
over capacity and no volunteer holds two overlapping shifts; the shift index holds every shift
and every volunteer on one; the leavers' queue and the mail outbox are worked off (but for rows
the killed process had leased: those wait out their lease, as decisions 0021 and 0024 say), and
each mail sent reached the SMTP server."""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import nats
import pytest
from nats.aio.client import Client as NatsClient

from tvers_runtime.application import CommandContext
from tvers_runtime.auth import Role
from tvers_runtime.embedded.ports import free_port
from tvers_runtime.natsio import connect_nats
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.testing.branches import publish_branch_registered
from tvers_runtime.testing.http import TEST_KEY, bearer
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.testing.people import REGISTRATION
from tvers_volunteers.testing.settings import TEST_VAULT_MASTER_KEY
from tvers_volunteers.testing.smtp_sink import SmtpSink, smtp_sink

pytestmark = [pytest.mark.servers, pytest.mark.slow]
TENANT = "1508"
STAFF_SUBJECT = "staff:crash"
STAFF = bearer(Role.STAFF, subject=STAFF_SUBJECT)
VOLUNTEERS = 16
#: Accepted commands before the kill.
BEFORE_THE_KILL = 60


class VolunteersProcess:
    """``python -m tvers_volunteers`` on the test's database, NATS and SMTP sink."""

    def __init__(self, environment: dict[str, str], log: Path) -> None:
        self.environment = environment
        self.log = log
        self.port = int(environment["TVERS_HTTP_PORT"])
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tvers_volunteers"],
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
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError("the volunteers process did not get ready")


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as running:
        yield running


@pytest.fixture
def volunteers_process(
    database_url: str, nats_server: NatsUnderTest, sink: SmtpSink, tmp_path: Path
) -> Iterator[VolunteersProcess]:
    environment = {
        "TVERS_DATABASE_URL": database_url,
        "TVERS_NATS_URL": nats_server.url,
        "TVERS_AUTH_KEY": TEST_KEY.decode(),
        "TVERS_LOG_JSON": "true",
        "TVERS_HTTP_PORT": str(free_port()),
        "TVERS_VAULT_MASTER_KEY": TEST_VAULT_MASTER_KEY,
        "TVERS_SCHEDULER_INTERVAL_SECONDS": "0.5",
        "TVERS_PROPOSER_ENABLED": "false",
        **{f"TVERS_{name.upper()}": str(value) for name, value in sink.settings().items()},
    }
    process = VolunteersProcess(environment, tmp_path / "volunteers.log")
    yield process
    if process.process is not None and process.process.poll() is None:
        process.kill()


@dataclass
class Caller:
    """A volunteer (or staff) sending commands, each with a key of its own."""

    subject: str
    headers: dict[str, str]
    volunteer_id: uuid.UUID | None = None
    keys: Iterator[int] = field(default_factory=itertools.count)

    def key(self) -> str:
        return f"{self.subject}-{next(self.keys)}"


@dataclass
class Sent:
    """A command and its key, as a client would send it again."""

    caller: Caller
    method: str
    path: str
    body: dict[str, Any] | None
    key: str

    async def send(self, client: httpx.AsyncClient) -> httpx.Response:
        return await client.request(
            self.method,
            self.path,
            json=self.body,
            headers={**self.caller.headers, "Idempotency-Key": self.key},
        )

    def first_event_id(self) -> uuid.UUID:
        context = CommandContext(
            tenant=TENANT,
            correlation_id=uuid.uuid4(),
            idempotency_key=self.key,
            principal=self.caller.subject,
        )
        return context.event_id(0)


async def learn_skodje(nats_server: NatsUnderTest) -> None:
    """Access's stream, with skodje registered on it (the service subscribes to it)."""
    owner = await connect_nats(nats_server.url, name="tests-access")
    try:
        await ensure_stream(owner.jsm(), "access")
        await publish_branch_registered(owner, "skodje", "Skodje")
    finally:
        await owner.close()


async def set_up(client: httpx.AsyncClient) -> tuple[list[str], list[Caller]]:
    """Shifts (four of them overlapping from 20 minutes on, two later) and volunteers."""

    async def branch_known() -> bool:
        listed = await client.get("/branches", headers=STAFF)
        return any(b["branch_id"] == "skodje" for b in listed.json())

    await eventually(branch_known)
    now = datetime.now(UTC)
    shifts = []
    for starts in [now + timedelta(minutes=20)] * 4 + [now + timedelta(hours=3)] * 2:
        published = await client.post(
            "/shifts",
            json={
                "branch_id": "skodje",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "capacity": 2,
                "role": "helper",
            },
            headers=STAFF,
        )
        assert published.status_code == 201, published.text
        shifts.append(published.json()["shift_id"])
    callers = []
    for n in range(VOLUNTEERS):
        registered = await client.post(
            "/volunteers",
            json={**REGISTRATION, "email": f"frivillig{n}@example.no"},
            headers=STAFF,
        )
        assert registered.status_code == 201, registered.text
        volunteer_id = uuid.UUID(registered.json()["volunteer_id"])
        subject = f"volunteer:w{n}"
        headers = bearer(Role.VOLUNTEER, subject=subject, volunteer_id=volunteer_id)
        callers.append(Caller(subject, headers, volunteer_id))
    return shifts, callers


def a_command(caller: Caller, shifts: list[str], chance: random.Random) -> Sent:
    shift_id = chance.choice(shifts)
    action, body = chance.choice(
        [
            ("claims", {"or_wait": True}),
            ("claims", {"or_wait": True}),
            ("claims", None),
            ("release", None),
            ("check-in", None),
            ("check-out", None),
            ("waitlist/leave", None),
        ]
    )
    return Sent(caller, "POST", f"/shifts/{shift_id}/{action}", body, caller.key())


async def test_nothing_accepted_is_lost_or_doubled_and_no_rule_broken_by_a_kill_and_restart(
    volunteers_process: VolunteersProcess,
    database_url: str,
    nats_server: NatsUnderTest,
    sink: SmtpSink,
) -> None:
    await learn_skodje(nats_server)
    volunteers_process.start()
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{volunteers_process.port}", timeout=15.0
    ) as client:
        await volunteers_process.ready(client)
        shifts, callers = await set_up(client)
        staff = Caller(STAFF_SUBJECT, STAFF)
        accepted: list[Sent] = []
        unanswered: list[Sent] = []
        warmed_up, under_load = asyncio.Event(), asyncio.Event()

        async def keep_sending(commands: Iterator[Sent]) -> None:
            for sent in commands:
                try:
                    answer = await sent.send(client)
                except httpx.TransportError:
                    unanswered.append(sent)
                    return
                assert answer.status_code < 500 or refused_as_busy(answer), (sent.path, answer.text)
                if answer.is_success:
                    accepted.append(sent)
                if len(accepted) >= BEFORE_THE_KILL // 3:
                    warmed_up.set()
                if len(accepted) >= BEFORE_THE_KILL:
                    under_load.set()

        def volunteer_commands(caller: Caller, seed: int) -> Iterator[Sent]:
            chance = random.Random(seed)
            while True:
                yield a_command(caller, shifts, chance)

        async def staff_under_load() -> None:
            await warmed_up.wait()
            leaving = [f"/volunteers/{c.volunteer_id}/deactivate" for c in callers[:3]]
            await keep_sending(
                Sent(staff, "POST", path, None, staff.key())
                for path in [*leaving, f"/shifts/{shifts[-1]}/cancel"]
            )

        senders = [
            asyncio.create_task(keep_sending(volunteer_commands(c, n)))
            for n, c in enumerate(callers)
        ]
        staff_done = asyncio.create_task(staff_under_load())
        await under_load.wait()
        volunteers_process.kill()
        await asyncio.gather(*senders, staff_done)
        assert len(unanswered) >= len(senders)  # each volunteer had a request under way

        volunteers_process.start()
        await volunteers_process.ready(client)
        for sent in unanswered:  # the clients try again, with the same keys
            again = await sent.send(client)
            assert again.status_code < 500 or refused_as_busy(again), again.text
            if again.is_success:
                accepted.append(sent)
        for sent in accepted[::4]:  # and some answered ones too, by mistake
            again = await sent.send(client)
            assert again.is_success, again.text
        states = {s: (await client.get(f"/shifts/{s}", headers=STAFF)).json() for s in shifts}

    connection = await asyncpg.connect(database_url)
    try:
        await check_the_store(connection, accepted)
        check_the_rules(states)
        await check_the_index(connection)
        await check_the_queues(connection, sink, callers[:3])
    finally:
        await connection.close()
    await check_the_stream(nats_server, database_url)


def refused_as_busy(answer: httpx.Response) -> bool:
    """The documented 503 ``busy`` (too many commands wait for the same shift): refused, nothing
    stored, to be tried again later. A loaded machine gets it; the command is not accepted."""
    return answer.status_code == 503 and answer.json().get("error") == "busy"


async def check_the_store(connection: asyncpg.Connection, accepted: list[Sent]) -> None:
    """Every accepted command's first event is stored, once (an event id is unique)."""
    wanted = [sent.first_event_id() for sent in accepted]
    found = await connection.fetch(
        "SELECT event_id FROM events WHERE event_id = ANY($1::uuid[])", wanted
    )
    missing = set(wanted) - {row["event_id"] for row in found}
    assert not missing, [s.path for s in accepted if s.first_event_id() in missing]


def check_the_rules(states: dict[str, dict[str, Any]]) -> None:
    """No shift over capacity; no one on two overlapping shifts."""
    held: dict[str, list[tuple[datetime, datetime]]] = {}
    for state in states.values():
        assert len(state["volunteers"]) <= state["capacity"], state
        assert not set(state["volunteers"]) & set(state["waitlist"]), state
        span = (
            datetime.fromisoformat(state["starts_at"]),
            datetime.fromisoformat(state["ends_at"]),
        )
        for volunteer in state["volunteers"]:
            held.setdefault(volunteer, []).append(span)
    for volunteer, spans in held.items():
        for (a_start, a_end), (b_start, b_end) in itertools.combinations(spans, 2):
            assert not (a_start < b_end and b_start < a_end), (volunteer, spans)


async def check_the_index(connection: asyncpg.Connection) -> None:
    """The shift index knows every shift and everyone who ever joined one."""
    unindexed_shifts = await connection.fetchval(
        "SELECT count(DISTINCT stream_id) FROM events WHERE stream_id LIKE 'shift-%' "
        "AND substr(stream_id, 7)::uuid NOT IN (SELECT shift_id FROM shift_calendar)"
    )
    unindexed_places = await connection.fetchval(
        "SELECT count(*) FROM events e WHERE event_type IN "
        "('ShiftClaimed', 'WaitlistJoined', 'PromotedFromWaitlist') AND NOT EXISTS ("
        " SELECT 1 FROM volunteer_shifts v WHERE v.shift_id = (e.payload->>'shift_id')::uuid"
        " AND v.volunteer_id = (e.payload->>'volunteer_id')::uuid)"
    )
    assert (unindexed_shifts, unindexed_places) == (0, 0)


async def check_the_queues(
    connection: asyncpg.Connection, sink: SmtpSink, leavers: list[Caller]
) -> None:
    """The leavers' queue and the mail outbox are worked off, but for what the killed process
    had leased; every mail sent arrived."""

    async def worked_off() -> bool:
        waiting: int = await connection.fetchval(
            "SELECT (SELECT count(*) FROM volunteer_leavers WHERE leased_until <= now())"
            " + (SELECT count(*) FROM volunteer_mail WHERE outcome IS NULL AND due_at <= now())"
        )
        return waiting == 0

    await eventually(worked_off, timeout=30)
    leased = await connection.fetch(
        "SELECT volunteer_id FROM volunteer_leavers WHERE leased_until > now()"
    )
    assert all(row["volunteer_id"] in {c.volunteer_id for c in leavers} for row in leased), (
        "only leavers are queued"
    )
    gone = {str(c.volunteer_id) for c in leavers} - {str(r["volunteer_id"]) for r in leased}
    mails = await connection.fetch("SELECT mail_id, outcome FROM volunteer_mail")
    assert mails, "a cancellation and reminders were to be mailed"
    arrived = {str(m["Message-ID"]) for m in sink.received}
    for mail in mails:
        if mail["outcome"] == "sent":
            assert f"<{mail['mail_id']}@alesund.example>" in arrived
    await leavers_hold_nothing(connection, gone)


async def leavers_hold_nothing(connection: asyncpg.Connection, gone: set[str]) -> None:
    """Leavers whose queue row is done hold no place on a shift not yet started and wait for
    none."""
    rows = await connection.fetch(
        "SELECT event_type, payload->>'volunteer_id' AS volunteer_id, stream_id FROM events "
        "WHERE event_type IN ('ShiftClaimed', 'PromotedFromWaitlist', 'ShiftReleased', "
        "'WaitlistJoined', 'WaitlistLeft') ORDER BY global_position"
    )
    on: dict[tuple[str, str], bool] = {}
    for row in rows:
        if row["volunteer_id"] in gone:
            on[(row["volunteer_id"], row["stream_id"])] = row["event_type"] in (
                "ShiftClaimed",
                "PromotedFromWaitlist",
                "WaitlistJoined",
            )
    cancelled = {
        row["stream_id"]
        for row in await connection.fetch(
            "SELECT stream_id FROM events WHERE event_type = 'ShiftCancelled'"
        )
    }
    still = [key for key, holds in on.items() if holds and key[1] not in cancelled]
    assert not still, still


async def check_the_stream(nats_server: NatsUnderTest, database_url: str) -> None:
    """Every stored event reaches the service's JetStream stream once, and the stream holds
    nothing else.

    Compared by event id, not by counting: the service keeps running (its scheduler stores a
    reminder for each place claimed by a retried command at its next tick), so a count of the
    store taken once can be one short of the stream by the time the stream is read."""
    connection = await asyncpg.connect(database_url)
    client = await nats.connect(nats_server.url)
    try:
        stored_before = await stored_event_ids(connection)

        async def all_published() -> bool:
            return stored_before <= set(await published_event_ids(client))

        await eventually(all_published, timeout=30)
        published = await published_event_ids(client)
        stored_after = await stored_event_ids(connection)
        doubled = [event_id for event_id, times in Counter(published).items() if times > 1]
        assert not doubled, f"published more than once: {doubled}"
        assert set(published) <= stored_after, f"not events: {set(published) - stored_after}"
    finally:
        await client.close()
        await connection.close()


async def stored_event_ids(connection: asyncpg.Connection) -> set[str]:
    """The id of every event in the store."""
    return {str(row["event_id"]) for row in await connection.fetch("SELECT event_id FROM events")}


async def published_event_ids(client: NatsClient) -> list[str]:
    """The ``Nats-Msg-Id`` of every message on the stream (``""`` for one without), in order."""
    manager = client.jsm()
    info = await manager.stream_info("VOLUNTEERS")
    messages = [
        await manager.get_msg("VOLUNTEERS", sequence)
        for sequence in range(info.state.first_seq, info.state.last_seq + 1)
    ]
    return [(message.headers or {}).get("Nats-Msg-Id", "") for message in messages]
