"""Mail to volunteers on a real PostgreSQL, NATS and SMTP sink: the events stand in for the
scheduler's and the cancel command's (appended to the event store, relayed, taken by the
``volunteers-mail`` subscriber), and the sink receives what the postman sends.

A reminder reaches the sink once, even delivered twice and after a restart of the service; a
cancellation reaches everyone who held a place or waited; an erased volunteer gets nothing and
their address shows in no log; a mail interrupted between sending and settling comes again with
the same Message-ID; with no SMTP host nothing is sent."""

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, time, timedelta
from uuid import UUID, uuid4

import httpx
import nats
import pytest
import pytest_asyncio
from fastapi import FastAPI

from tvers_contracts import event_subject, stream_name
from tvers_contracts.events.volunteers import ShiftCancelled, ShiftReminderIssued
from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.eventstore import ANY_VERSION, NewEvent
from tvers_runtime.logging import configure_logging
from tvers_runtime.natsio import connect_nats
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer, running
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.adapters.mail import mail_id
from tvers_volunteers.bootstrap import build_app
from tvers_volunteers.settings import VolunteersSettings
from tvers_volunteers.testing.people import REGISTRATION, eligible_volunteer, register
from tvers_volunteers.testing.scheduler import tick
from tvers_volunteers.testing.settings import volunteers_settings
from tvers_volunteers.testing.shifts import publish_shift
from tvers_volunteers.testing.smtp_sink import SmtpSink, smtp_sink, text_of

pytestmark = pytest.mark.servers
STAFF_ID = "staff:kari"
STAFF = bearer(Role.STAFF, subject=STAFF_ID)
WAIT = 30.0


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as running_sink:
        yield running_sink


@pytest_asyncio.fixture
async def nats_url(nats_server: NatsUnderTest) -> str:
    """The test's NATS, with the ACCESS stream its owner would have made: the service's
    subscribers start together, the branches' one on ACCESS among them."""
    owner = await connect_nats(nats_server.url, name="tests-access")
    try:
        await ensure_stream(owner.jsm(), "access")
    finally:
        await owner.close()
    return nats_server.url


@pytest.fixture
def settings(database_url: str, nats_url: str, sink: SmtpSink) -> VolunteersSettings:
    return volunteers_settings(database_url, nats_url, **sink.settings())


@pytest.fixture
def app(settings: VolunteersSettings, clock: SteppedClock) -> FastAPI:
    return build_app(settings, clock=clock)


@pytest.fixture
def service_log(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[[], str]]:
    """The service's log lines as it writes them (JSON, every level), from here on."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging(service="volunteers", level="DEBUG", json=True)
    capsys.readouterr()
    yield lambda: capsys.readouterr().err
    root.handlers, root.level = handlers, level


class Volunteer:
    """A registered volunteer: their id and the address their mail goes to."""

    def __init__(self, volunteer_id: str, name: str, address: str) -> None:
        self.id = UUID(volunteer_id)
        self.name = name
        self.address = address


async def volunteer(client: httpx.AsyncClient, who: str) -> Volunteer:
    name, address = f"{who.title()} Bibliotekvenn", f"{who}@example.no"
    registered = await register(client, {**REGISTRATION, "name": name, "email": address})
    return Volunteer(registered, name, address)


def tomorrow_evening(clock: SteppedClock) -> tuple[datetime, datetime]:
    day = clock.now.astimezone(OSLO).date() + timedelta(days=1)
    return datetime.combine(day, time(18), OSLO), datetime.combine(day, time(20), OSLO)


def reminder(
    who: Volunteer, clock: SteppedClock, shift_id: UUID | None = None, **times: datetime
) -> ShiftReminderIssued:
    starts, ends = tomorrow_evening(clock)
    return ShiftReminderIssued(
        shift_id=shift_id or uuid4(),
        volunteer_id=who.id,
        branch_id="haroy",
        starts_at=times.get("starts_at", starts),
        ends_at=times.get("ends_at", ends),
    )


async def append(app: FastAPI, event: ShiftReminderIssued | ShiftCancelled) -> UUID:
    """Store an event on its shift's stream, as the scheduler or the cancel command would."""
    stored = NewEvent.of(event, tenant="1508", correlation_id=uuid4())
    store = app.state.infrastructure.event_store
    await store.append(f"shift-{event.shift_id}", ANY_VERSION, [stored])
    return stored.event_id


async def received(sink: SmtpSink, *addresses: str) -> None:
    async def each_has_mail() -> bool:
        return all(sink.to(address) for address in addresses)

    await eventually(each_has_mail, timeout=WAIT)


async def settled(app: FastAPI, event_id: UUID, outcome: str) -> None:
    query = "SELECT outcome FROM volunteer_mail WHERE event_id = $1"

    async def as_expected() -> bool:
        rows = await app.state.infrastructure.pool.fetch(query, event_id)
        return bool(rows) and all(row["outcome"] == outcome for row in rows)

    await eventually(as_expected, timeout=WAIT)


@pytest_asyncio.fixture
async def branch(client: httpx.AsyncClient, app: FastAPI) -> AsyncIterator[None]:
    await learn_branches(app, "haroy")
    yield


async def test_a_reminder_reaches_the_volunteer_once_with_the_shift_in_nynorsk_and_english(
    clock: SteppedClock, client: httpx.AsyncClient, app: FastAPI, sink: SmtpSink, branch: None
) -> None:
    ola = await volunteer(client, "ola")
    event = reminder(ola, clock)
    event_id = await append(app, event)
    await received(sink, ola.address)
    await settled(app, event_id, "sent")
    [mail] = sink.to(ola.address)
    starts = event.starts_at.astimezone(OSLO)
    assert mail["Subject"].startswith("Påminning: vakta di på Haroy ")
    assert mail["Message-ID"] == f"<{mail_id(event_id, ola.id)}@alesund.example>"
    assert mail["To"].addresses[0].display_name == ola.name
    body = text_of(mail)
    assert body.startswith(f"Hei, {ola.name}!")
    assert f"frå {starts:%H:%M} til 20:00" in body
    assert "--- English ---" in body


async def test_a_reminder_delivered_twice_is_sent_once(
    clock: SteppedClock,
    client: httpx.AsyncClient,
    app: FastAPI,
    sink: SmtpSink,
    nats_url: str,
    branch: None,
) -> None:
    kari = await volunteer(client, "kari")
    event_id = await append(app, reminder(kari, clock))
    await received(sink, kari.address)
    # The same event again on the stream, as after a lost ack (JetStream would drop a copy with
    # the same Nats-Msg-Id, so the copy gets another).
    stored = await app.state.infrastructure.event_store.find_event(event_id)
    connection = await nats.connect(nats_url)
    try:
        ack = await connection.jetstream().publish(
            event_subject(ShiftReminderIssued),
            stored.raw_envelope().model_dump_json().encode(),
            headers={"Nats-Msg-Id": f"copy-{event_id}"},
        )

        async def copy_taken() -> bool:
            info = await connection.jsm().consumer_info(
                stream_name("volunteers"), "volunteers-mail"
            )
            return (info.ack_floor.stream_seq or 0) >= ack.seq

        await eventually(copy_taken, timeout=WAIT)
    finally:
        await connection.close()
    # A later reminder, sent after the copy was taken: the postman has had its rounds.
    per = await volunteer(client, "per")
    await append(app, reminder(per, clock))
    await received(sink, per.address)
    assert len(sink.to(kari.address)) == 1


async def test_after_a_restart_of_the_service_nothing_is_sent_again(
    clock: SteppedClock, settings: VolunteersSettings, sink: SmtpSink
) -> None:
    first_life = build_app(settings, clock=clock)
    async with running(first_life) as client:
        await learn_branches(first_life, "haroy")
        anne = await volunteer(client, "anne")
        shift_id = uuid4()
        await append(first_life, reminder(anne, clock, shift_id))
        await received(sink, anne.address)
    second_life = build_app(settings, clock=clock)
    async with running(second_life) as client:
        bjorn = await volunteer(client, "bjorn")
        # Another reminder on the same shift's stream, at a later version: the first is not sent
        # again, and the second is not dropped as older or newer than it.
        await append(second_life, reminder(bjorn, clock, shift_id))
        await received(sink, bjorn.address)
    assert [len(sink.to(a)) for a in (anne.address, bjorn.address)] == [1, 1]


async def test_a_cancellation_reaches_everyone_who_held_a_place_or_waited(
    clock: SteppedClock, client: httpx.AsyncClient, app: FastAPI, sink: SmtpSink, branch: None
) -> None:
    holders = [await volunteer(client, who) for who in ("ingrid", "jon")]
    waiting = await volunteer(client, "liv")
    starts, ends = tomorrow_evening(clock)
    event_id = await append(
        app,
        ShiftCancelled(
            shift_id=uuid4(),
            branch_id="haroy",
            starts_at=starts,
            ends_at=ends,
            staff_id=STAFF_ID,
            volunteers=[h.id for h in holders],
            waitlisted=[waiting.id],
        ),
    )
    await received(sink, *(h.address for h in holders), waiting.address)
    await settled(app, event_id, "sent")
    for holder in holders:
        [mail] = sink.to(holder.address)
        assert mail["Subject"].startswith("Avlyst: vakta di på Haroy ")
        assert "du treng ikkje kome" in text_of(mail)
    [mail] = sink.to(waiting.address)
    assert mail["Subject"].startswith("Avlyst: vakta på Haroy ")
    assert "som du stod på venteliste til" in text_of(mail)
    assert len(sink.received) == 3


async def test_an_erased_volunteer_gets_nothing_and_their_address_is_logged_nowhere(
    clock: SteppedClock,
    client: httpx.AsyncClient,
    app: FastAPI,
    sink: SmtpSink,
    branch: None,
    service_log: Callable[[], str],
) -> None:
    gone = await volunteer(client, "sigrid")
    erased = await client.post(f"/volunteers/{gone.id}/erase", headers=STAFF)
    assert erased.status_code == 200, erased.text
    still = await volunteer(client, "tor")
    shift_id = uuid4()
    gone_event = await append(app, reminder(gone, clock, shift_id))
    await append(app, reminder(still, clock, shift_id))
    await received(sink, still.address)
    await settled(app, gone_event, "erased")
    assert sink.to(gone.address) == []
    written = service_log()
    assert str(gone.id) in written  # the skip is logged, by id
    assert gone.address not in written
    assert "Sigrid" not in written
    assert still.address not in written


async def test_a_mail_cut_off_between_sending_and_settling_comes_again_with_its_message_id(
    clock: SteppedClock, client: httpx.AsyncClient, app: FastAPI, sink: SmtpSink, branch: None
) -> None:
    ola = await volunteer(client, "ola")
    event_id = await append(app, reminder(ola, clock))
    await settled(app, event_id, "sent")
    # What a process that died after the server took the mail leaves, once its lease is over.
    await app.state.infrastructure.pool.execute(
        "UPDATE volunteer_mail SET outcome = NULL, settled_at = NULL, due_at = now() "
        "WHERE event_id = $1",
        event_id,
    )
    await settled(app, event_id, "sent")
    first, again = sink.to(ola.address)
    assert first["Message-ID"] == again["Message-ID"]


async def test_a_reminder_whose_shift_has_started_is_not_sent(
    clock: SteppedClock, client: httpx.AsyncClient, app: FastAPI, sink: SmtpSink, branch: None
) -> None:
    late = await volunteer(client, "sen")
    started = clock.now - timedelta(minutes=5)
    event_id = await append(
        app, reminder(late, clock, starts_at=started, ends_at=started + timedelta(hours=2))
    )
    await settled(app, event_id, "too_late")
    assert sink.to(late.address) == []


async def test_with_no_smtp_host_mail_is_off_and_nothing_is_sent(
    clock: SteppedClock,
    database_url: str,
    nats_url: str,
    sink: SmtpSink,
    service_log: Callable[[], str],
) -> None:
    app = build_app(volunteers_settings(database_url, nats_url), clock=clock)
    async with running(app) as client:
        await learn_branches(app, "haroy")
        ola = await volunteer(client, "ola")
        event_id = await append(app, reminder(ola, clock))
        await settled(app, event_id, "mail_off")
    written = service_log()
    assert '"mail_off"' in written
    assert ola.address not in written
    assert sink.received == []


async def test_the_schedulers_reminder_reaches_the_sink_once_even_after_a_restart(
    clock: SteppedClock, settings: VolunteersSettings, sink: SmtpSink
) -> None:
    starts, _ = tomorrow_evening(clock)
    clock.now = datetime.combine(starts.date(), time(9), OSLO) - timedelta(days=1)
    first_life = build_app(settings, clock=clock)
    async with running(first_life) as client:
        await learn_branches(first_life, "haroy")
        volunteer_id, token = await eligible_volunteer(
            client, body={**REGISTRATION, "email": "sigrid@example.no"}
        )
        shift_id = await publish_shift(client, starts, branch_id="haroy")
        assert (await client.post(f"/shifts/{shift_id}/claims", headers=token)).status_code == 201
        assert await tick(first_life) == []  # 09:00 the day before: not yet
        clock.now += timedelta(hours=3)  # noon the day before
        assert await tick(first_life) == [("ShiftReminderIssued", volunteer_id)]
        await received(sink, "sigrid@example.no")
    second_life = build_app(settings, clock=clock)
    async with running(second_life) as client:
        clock.now += timedelta(hours=1)
        assert await tick(second_life) == []
        # A mail of another volunteer sent by the second life shows its postman has had rounds.
        other = await volunteer(client, "trond")
        await append(second_life, reminder(other, clock))
        await received(sink, other.address)
    assert len(sink.to("sigrid@example.no")) == 1
