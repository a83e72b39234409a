"""The branch status learns its volunteer hosts from the volunteers service's check-ins and
check-outs, published on a real JetStream (events built from the contracts, as the volunteers
service will publish them) and taken by the access-check-ins subscriber into PostgreSQL: a copy of
an event changes nothing, and neither does the order the events of a shift arrive in."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient

from tvers_access.bootstrap import build_app
from tvers_access.entrypoints.subscribers import CHECK_INS
from tvers_access.settings import AccessSettings
from tvers_access.testing.check_ins import ShiftAttendance, publish
from tvers_runtime.auth import Role
from tvers_runtime.clock import fixed_clock
from tvers_runtime.natsio import connect_nats
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
OSLO = ZoneInfo("Europe/Oslo")
STAFF = bearer(Role.STAFF)
VIEWER = bearer(Role.VIEWER)
#: A Tuesday evening in Oslo, in the middle of a hosting shift from 18:00 to 20:00.
NOW = datetime(2026, 11, 3, 18, 30, tzinfo=OSLO)
STARTS = datetime(2026, 11, 3, 18, 0, tzinfo=OSLO)
ENDS = datetime(2026, 11, 3, 20, 0, tzinfo=OSLO)


@pytest_asyncio.fixture
async def volunteers(nats_server: NatsUnderTest) -> AsyncIterator[NatsClient]:
    """The volunteers service's side of NATS: its stream, declared as its owner does."""
    client = await connect_nats(nats_server.url, name="tests-volunteers")
    await ensure_stream(client.jsm(), "volunteers")
    yield client
    await client.close()


@pytest.fixture
def app(access_settings: AccessSettings, volunteers: NatsClient) -> FastAPI:
    return build_app(access_settings, clock=fixed_clock(NOW.astimezone(UTC)))


@pytest_asyncio.fixture
async def skodje(client: httpx.AsyncClient) -> str:
    created = await client.post(
        "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
    )
    assert created.status_code == 201, created.text
    return "skodje"


def evening_shift(branch_id: str = "skodje", tenant: str = "1508") -> ShiftAttendance:
    return ShiftAttendance(branch_id=branch_id, starts_at=STARTS, ends_at=ENDS, tenant=tenant)


async def taken_up_to(volunteers: NatsClient, sequence: int) -> None:
    """Wait until the subscriber has acknowledged the stream up to ``sequence`` (it acks after
    the effect has committed)."""

    async def acked() -> bool:
        try:
            info = await volunteers.jsm().consumer_info(CHECK_INS.stream, CHECK_INS.durable)
        except Exception:
            return False
        return info.ack_floor is not None and (info.ack_floor.stream_seq or 0) >= sequence

    await eventually(acked)


async def hosts(client: httpx.AsyncClient) -> tuple[bool, int]:
    response = await client.get("/branches/skodje/status", headers=VIEWER)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["host_checked_in"], body["hosts_checked_in"]


async def test_a_check_in_shows_in_the_branch_status(
    client: httpx.AsyncClient, volunteers: NatsClient, skodje: str
) -> None:
    assert await hosts(client) == (False, 0)
    shift = evening_shift()
    await taken_up_to(volunteers, await publish(volunteers, shift.check_in(uuid4(), STARTS)))
    assert await hosts(client) == (True, 1)


async def test_a_check_out_takes_the_host_off_the_branch_status(
    client: httpx.AsyncClient, volunteers: NatsClient, skodje: str
) -> None:
    shift, host = evening_shift(), uuid4()
    await publish(volunteers, shift.check_in(host, STARTS))
    last = await publish(volunteers, shift.check_out(host, NOW - timedelta(minutes=5)))
    await taken_up_to(volunteers, last)
    assert await hosts(client) == (False, 0)


async def test_a_copy_of_a_check_in_after_the_check_out_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI, volunteers: NatsClient, skodje: str
) -> None:
    shift, host = evening_shift(), uuid4()
    check_in = shift.check_in(host, STARTS)
    await publish(volunteers, check_in)
    await publish(volunteers, shift.check_out(host, NOW - timedelta(minutes=5)))
    # The same event again under another message id, so JetStream keeps it: a redelivery.
    again = await publish(volunteers, check_in, message_id=str(uuid4()))
    await taken_up_to(volunteers, again)
    assert await hosts(client) == (False, 0)
    pool = app.state.infrastructure.pool
    taken = await pool.fetchval(
        "SELECT count(*) FROM subscriber_inbox WHERE event_id = $1", check_in.event_id
    )
    assert taken == 1


async def test_a_copy_of_a_check_in_counts_the_host_once(
    client: httpx.AsyncClient, volunteers: NatsClient, skodje: str
) -> None:
    check_in = evening_shift().check_in(uuid4(), STARTS)
    await publish(volunteers, check_in)
    again = await publish(volunteers, check_in, message_id=str(uuid4()))
    await taken_up_to(volunteers, again)
    assert await hosts(client) == (True, 1)


async def test_a_check_out_that_arrives_before_its_check_in_leaves_no_host(
    client: httpx.AsyncClient, volunteers: NatsClient, skodje: str
) -> None:
    shift, host = evening_shift(), uuid4()
    check_in = shift.check_in(host, STARTS)
    check_out = shift.check_out(host, NOW - timedelta(minutes=5))
    await publish(volunteers, check_out)
    last = await publish(volunteers, check_in)
    await taken_up_to(volunteers, last)
    assert await hosts(client) == (False, 0)


async def test_two_volunteers_on_one_shift_count_apart_and_leave_apart(
    client: httpx.AsyncClient, volunteers: NatsClient, skodje: str
) -> None:
    shift, first, second = evening_shift(), uuid4(), uuid4()
    await publish(volunteers, shift.check_in(first, STARTS - timedelta(minutes=10)))
    both = await publish(volunteers, shift.check_in(second, STARTS))
    await taken_up_to(volunteers, both)
    assert await hosts(client) == (True, 2)
    one_left = await publish(volunteers, shift.check_out(first, NOW - timedelta(minutes=1)))
    await taken_up_to(volunteers, one_left)
    assert await hosts(client) == (True, 1)


async def test_the_second_check_in_of_a_shift_arriving_first_keeps_both_volunteers(
    client: httpx.AsyncClient, volunteers: NatsClient, skodje: str
) -> None:
    shift = evening_shift()
    first = shift.check_in(uuid4(), STARTS - timedelta(minutes=10))
    second = shift.check_in(uuid4(), STARTS)
    await publish(volunteers, second)
    last = await publish(volunteers, first)  # older: the guard drops it, and second has both
    await taken_up_to(volunteers, last)
    assert await hosts(client) == (True, 2)


async def test_hosts_at_another_branch_or_of_another_municipality_do_not_count(
    client: httpx.AsyncClient, volunteers: NatsClient, skodje: str
) -> None:
    await publish(volunteers, evening_shift(branch_id="haroy").check_in(uuid4(), STARTS))
    last = await publish(volunteers, evening_shift(tenant="1532").check_in(uuid4(), STARTS))
    await taken_up_to(volunteers, last)
    assert await hosts(client) == (False, 0)
