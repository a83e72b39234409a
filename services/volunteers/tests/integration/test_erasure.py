"""Erasure over HTTP on a real PostgreSQL and NATS: once a volunteer is erased (by themself or by
staff), nothing of their name or contact can be read from the vault, any table of the service's
database, the events (in the store and on the JetStream stream) or the service's log lines; their
events stay."""

import asyncio
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import httpx
import nats
import pytest
from fastapi import FastAPI

from tvers_contracts import stream_name
from tvers_runtime.auth import Role
from tvers_runtime.logging import configure_logging
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.testing.people import IN_CLEAR, REGISTRATION, register

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF, subject="staff:kari")


@pytest.fixture
def service_log(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[[], str]]:
    """The service's log lines as it writes them (JSON, every level), from here on."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging(service="volunteers", level="DEBUG", json=True)
    capsys.readouterr()
    yield lambda: capsys.readouterr().err
    root.handlers, root.level = handlers, level


async def every_table(app: FastAPI) -> str:
    """Every row of every table of the service's database, as text."""
    pool = app.state.infrastructure.pool
    tables = await pool.fetch(
        "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    )
    texts = [
        await pool.fetchval(f"SELECT coalesce(string_agg(t::text, ' '), '') FROM {row['name']} t")
        for row in tables
    ]
    return "\n".join(texts)


async def on_the_stream(nats_url: str) -> list[dict[str, Any]]:
    """Every message of the volunteers' JetStream stream, with its subject."""
    client = await nats.connect(nats_url)
    try:
        manager, stream = client.jsm(), stream_name("volunteers")
        info = await manager.stream_info(stream)
        messages = []
        for sequence in range(info.state.first_seq, info.state.last_seq + 1):
            message = await manager.get_msg(stream, sequence)
            messages.append({"subject": message.subject, "data": (message.data or b"").decode()})
        return messages
    finally:
        await client.close()


def in_clear(text: str) -> list[str]:
    return [piece for piece in IN_CLEAR if piece in text]


async def test_a_volunteer_erases_themself_and_nothing_of_them_can_be_read_anywhere(
    client: httpx.AsyncClient,
    app: FastAPI,
    nats_server: NatsUnderTest,
    service_log: Callable[[], str],
) -> None:
    volunteer_id = await register(client, headers=STAFF)
    themself = bearer(Role.VOLUNTEER, volunteer_id=UUID(volunteer_id))
    read = await client.get(f"/volunteers/{volunteer_id}/personal-data", headers=themself)
    assert read.json()["name"] == REGISTRATION["name"]
    refused = await client.post(
        "/volunteers", json={**REGISTRATION, "email": "not an address"}, headers=STAFF
    )
    assert refused.status_code == 422

    erased = await client.post(f"/volunteers/{volunteer_id}/erase", headers=themself)
    assert erased.status_code == 200, erased.text
    assert erased.json()["standing"] == "erased"

    for headers in (themself, STAFF):
        gone = await client.get(f"/volunteers/{volunteer_id}/personal-data", headers=headers)
        assert (gone.status_code, gone.json()["error"]) == (404, "erased")
    row = await app.state.infrastructure.pool.fetchrow(
        "SELECT wrapped_key, ciphertext FROM volunteer_vault WHERE volunteer_id = $1",
        UUID(volunteer_id),
    )
    assert tuple(row.values()) == (None, None)
    assert in_clear(await every_table(app)) == []

    # Their events stay, in the store and on the stream, and say nothing of them.
    types = await app.state.infrastructure.pool.fetch(
        "SELECT event_type FROM events WHERE stream_id = $1 ORDER BY stream_version",
        f"volunteer-{volunteer_id}",
    )
    assert [row["event_type"] for row in types] == ["VolunteerRegistered", "VolunteerErased"]

    async def both_published() -> bool:
        return len(await on_the_stream(nats_server.url)) == 2

    await eventually(both_published)
    published = await on_the_stream(nats_server.url)
    assert [m["subject"] for m in published] == [
        "volunteers.volunteer.volunteer_registered",
        "volunteers.volunteer.volunteer_erased",
    ]
    assert all(json.loads(m["data"])["payload"]["volunteer_id"] == volunteer_id for m in published)
    assert in_clear(" ".join(m["data"] for m in published)) == []

    written = service_log()
    for logged in ("volunteer_registered", "personal_data_read", "volunteer_erased"):
        assert logged in written
    assert in_clear(written) == []


async def test_staff_erase_a_volunteer_once_and_a_repeat_under_its_key_is_the_same_answer(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    volunteer_id = await register(client)
    keyed = {**STAFF, "Idempotency-Key": "erase-1"}
    first = await client.post(f"/volunteers/{volunteer_id}/erase", headers=keyed)
    repeat = await client.post(f"/volunteers/{volunteer_id}/erase", headers=keyed)
    assert (first.status_code, repeat.status_code) == (200, 200), repeat.text
    assert repeat.json() == first.json()
    again = await client.post(f"/volunteers/{volunteer_id}/erase", headers=STAFF)
    assert (again.status_code, again.json()["error"]) == (409, "conflict")
    assert "already erased" in again.json()["detail"]
    erasures = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = 'VolunteerErased'"
    )
    assert erasures == 1


async def test_an_erasure_cut_off_before_its_event_is_completed_by_erasing_again(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    volunteer_id = await register(client)
    # As if the process died after destroying the key and before storing the event.
    await app.state.vault.erase(UUID(volunteer_id))
    gone = await client.get(f"/volunteers/{volunteer_id}/personal-data", headers=STAFF)
    assert (gone.status_code, gone.json()["error"]) == (404, "erased")
    completed = await client.post(f"/volunteers/{volunteer_id}/erase", headers=STAFF)
    assert completed.status_code == 200, completed.text
    assert completed.json()["standing"] == "erased"


async def test_erasures_racing_each_other_and_reads_erase_once_and_answer_no_5xx(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    volunteer_id = await register(client)
    themself = bearer(Role.VOLUNTEER, volunteer_id=UUID(volunteer_id))
    erase = f"/volunteers/{volunteer_id}/erase"
    read = f"/volunteers/{volunteer_id}/personal-data"
    answers = await asyncio.gather(
        client.post(erase, headers=STAFF),
        client.post(erase, headers=themself),
        client.post(erase, headers={**STAFF, "Idempotency-Key": "erase-race"}),
        client.get(read, headers=STAFF),
        client.get(read, headers=themself),
        client.get(f"/volunteers/{volunteer_id}", headers=STAFF),
    )
    assert [a.status_code for a in answers if a.status_code >= 500] == [], [a.text for a in answers]
    erasures = [a for a in answers[:3] if a.status_code == 200]
    assert len(erasures) >= 1
    assert {a.json()["error"] for a in answers[:3] if a.status_code != 200} <= {"conflict"}
    for personal in answers[3:5]:
        assert personal.status_code in (200, 404), personal.text
        if personal.status_code == 404:
            assert personal.json()["error"] == "erased"
    assert (
        await app.state.infrastructure.pool.fetchval(
            "SELECT count(*) FROM events WHERE event_type = 'VolunteerErased'"
        )
        == 1
    )
    gone = await client.get(read, headers=STAFF)
    assert (gone.status_code, gone.json()["error"]) == (404, "erased")
