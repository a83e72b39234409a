"""The school librarians' network over HTTP on a real PostgreSQL and NATS: staff keep it, school
librarians read it, and a name is kept only with consent, only in the service's own table, and
never in an event: withdrawing consent or leaving deletes it."""

import json
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.application import CommandContext
from tvers_runtime.auth import Role
from tvers_runtime.domain import NotFound
from tvers_runtime.testing.http import bearer
from tvers_visits.adapters.network_names import PostgresNetworkNames
from tvers_visits.domain.network import Named
from tvers_visits.network import NetworkCases
from tvers_visits.testing.school_library import events_stored, register_schools

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
LIBRARIAN = bearer(Role.SCHOOL_LIBRARIAN, school_id="hessa-skule")
KARI = {"name": "Kari Nordmann", "email": "kari.nordmann@example.no", "consent": True}
OLA = {"name": "Ola Fjellheim", "consent": True}


@pytest.fixture(autouse=True)
async def schools(app: FastAPI, client: httpx.AsyncClient) -> None:
    await register_schools(app, client, "aspoy-skule", "hessa-skule")


async def added(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"school_id": "aspoy-skule", "role": "school_librarian", **fields}
    response = await client.post("/network/members", json=body, headers=STAFF)
    assert response.status_code == 201, response.text
    member: dict[str, Any] = response.json()
    return member


async def names_kept(app: FastAPI) -> list[str]:
    pool = app.state.infrastructure.pool
    rows = await pool.fetch("SELECT name FROM network_member_names ORDER BY name")
    return [row["name"] for row in rows]


async def test_school_librarians_see_the_network_with_names_only_of_those_who_agreed(
    client: httpx.AsyncClient,
) -> None:
    kari = await added(client, **KARI)
    unnamed = await added(client, school_id="hessa-skule", role="contact_teacher")
    assert (kari["name"], kari["email"]) == ("Kari Nordmann", "kari.nordmann@example.no")
    listed = await client.get("/network/members", headers=LIBRARIAN)
    assert listed.status_code == 200, listed.text
    assert listed.json() == [kari, unnamed]
    assert unnamed["name"] is None
    of_hessa = await client.get("/network/members?school_id=hessa-skule", headers=LIBRARIAN)
    assert of_hessa.json() == [unnamed]
    teacher = bearer(Role.TEACHER, school_id="aspoy-skule")
    assert (await client.get("/network/members", headers=teacher)).status_code == 403


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"name": "Kari Nordmann"}, "only with the member's consent"),
        ({"name": "Kari Nordmann", "consent": False}, "only with the member's consent"),
        ({"email": "kari@example.no", "consent": True}, "only with a name"),
        ({"name": "Kari\nNordmann", "consent": True}, "control, separator or format"),
        ({"name": "Kari", "email": "not-an-address", "consent": True}, "email"),
        ({"school_id": "nowhere-skule"}, "no school 'nowhere-skule'"),
        ({"role": "headmaster"}, "role"),
    ],
)
async def test_bad_members_are_refused_and_store_nothing(
    client: httpx.AsyncClient, app: FastAPI, fields: dict[str, Any], says: str
) -> None:
    body = {"school_id": "aspoy-skule", "role": "school_librarian", **fields}
    response = await client.post("/network/members", json=body, headers=STAFF)
    assert response.status_code == 422, response.text
    assert says in response.text
    assert "Kari" not in response.text
    assert await events_stored(app, "NetworkMemberJoined") == 0
    assert await names_kept(app) == []


async def test_withdrawing_consent_deletes_the_name_and_keeps_the_member(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    kari = await added(client, **KARI)
    path = f"/network/members/{kari['member_id']}/name"
    withdrawn = await client.delete(path, headers=STAFF)
    assert withdrawn.status_code == 200, withdrawn.text
    assert (withdrawn.json()["name"], withdrawn.json()["email"]) == (None, None)
    assert await names_kept(app) == []
    listed = (await client.get("/network/members", headers=LIBRARIAN)).json()
    assert [(m["member_id"], m["name"]) for m in listed] == [(kari["member_id"], None)]
    given_again = await client.put(path, json=OLA, headers=STAFF)
    assert given_again.json()["name"] == "Ola Fjellheim"
    refused = await client.put(path, json=OLA | {"consent": False}, headers=STAFF)
    assert refused.status_code == 422
    assert await names_kept(app) == ["Ola Fjellheim"]


async def test_a_member_who_leaves_has_their_name_deleted(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    kari = await added(client, **KARI)
    ola = await added(client, school_id="hessa-skule", role="teacher_librarian", **OLA)
    left = await client.delete(f"/network/members/{kari['member_id']}", headers=STAFF)
    assert left.status_code == 204
    assert await names_kept(app) == ["Ola Fjellheim"]
    assert (await client.get("/network/members", headers=LIBRARIAN)).json() == [ola]
    path = f"/network/members/{kari['member_id']}"
    assert (await client.delete(path, headers=STAFF)).status_code == 404
    named_after = await client.put(f"{path}/name", json=KARI, headers=STAFF)
    assert named_after.status_code == 404
    assert await names_kept(app) == ["Ola Fjellheim"]


async def test_staff_change_a_members_school_and_role(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    kari = await added(client, **KARI)
    path = f"/network/members/{kari['member_id']}/changes"
    moved = await client.post(
        path, json={"school_id": "hessa-skule", "role": "teacher_librarian"}, headers=STAFF
    )
    assert moved.json() == kari | {"school_id": "hessa-skule", "role": "teacher_librarian"}
    again = await client.post(
        path, json={"school_id": "hessa-skule", "role": "teacher_librarian"}, headers=STAFF
    )
    assert again.status_code == 200
    nowhere = await client.post(
        path, json={"school_id": "nowhere-skule", "role": "other"}, headers=STAFF
    )
    assert nowhere.status_code == 422
    assert await events_stored(app, "NetworkMemberChanged") == 1


async def test_no_name_or_address_ever_reaches_an_event(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    kari = await added(client, **KARI)
    ola = await added(client, school_id="hessa-skule", role="contact_teacher")
    await client.put(f"/network/members/{ola['member_id']}/name", json=OLA, headers=STAFF)
    await client.post(
        f"/network/members/{kari['member_id']}/changes",
        json={"school_id": "hessa-skule", "role": "other"},
        headers=STAFF,
    )
    await client.delete(f"/network/members/{ola['member_id']}/name", headers=STAFF)
    await client.delete(f"/network/members/{kari['member_id']}", headers=STAFF)
    pool = app.state.infrastructure.pool
    rows = await pool.fetch("SELECT event_type, payload, e::text AS whole FROM events e")
    network = [json.loads(r["payload"]) for r in rows if r["event_type"].startswith("Network")]
    assert sorted(r["event_type"] for r in rows if r["event_type"].startswith("Network")) == [
        "NetworkMemberChanged",
        "NetworkMemberJoined",
        "NetworkMemberJoined",
        "NetworkMemberLeft",
    ]
    everything = "\n".join(row["whole"] for row in rows)
    for secret in ("Kari", "Nordmann", "kari.nordmann", "example.no", "Ola", "Fjellheim"):
        assert secret not in everything
    assert {UUID(payload["member_id"]) for payload in network} == {
        UUID(kari["member_id"]),
        UUID(ola["member_id"]),
    }


class Interleaved(PostgresNetworkNames):
    """The real table, where something else happens at the worst moment: after a member's
    leaving deleted their name (before their leaving is stored), or before a name given for
    them is written (after it was checked that they are a member)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        super().__init__(pool)
        self.after_forget: Callable[[], Awaitable[object]] | None = None
        self.before_keep: Callable[[], Awaitable[object]] | None = None

    async def forget(self, tenant: str, member_id: UUID) -> None:
        await super().forget(tenant, member_id)
        meanwhile, self.after_forget = self.after_forget, None
        if meanwhile is not None:
            await meanwhile()

    async def keep(self, tenant: str, member_id: UUID, named: Named) -> None:
        meanwhile, self.before_keep = self.before_keep, None
        if meanwhile is not None:
            await meanwhile()
        await super().keep(tenant, member_id, named)


async def interleaved(app: FastAPI) -> tuple[NetworkCases, Interleaved]:
    infrastructure = app.state.infrastructure
    names = Interleaved(infrastructure.pool)
    cases = NetworkCases(
        infrastructure.event_store,
        infrastructure.registry,
        schools=app.state.visits,
        names=names,
    )
    return cases, names


def leaving() -> CommandContext:
    return CommandContext(tenant="1508", correlation_id=uuid4())


async def test_a_name_given_while_the_member_leaves_does_not_outlive_them(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    cases, names = await interleaved(app)
    member_id = UUID((await added(client))["member_id"])
    kept: list[object] = []

    async def name_them() -> None:
        kept.append(await cases.keep_name("1508", member_id, name="Kari Nordmann", email=None))

    names.after_forget = name_them
    await cases.leave(leaving(), member_id)
    assert len(kept) == 1  # the name was taken: the member had not left yet
    assert await names_kept(app) == []


async def test_a_name_written_after_the_member_left_is_deleted_and_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    cases, names = await interleaved(app)
    member_id = UUID((await added(client))["member_id"])

    async def they_leave() -> None:
        await cases.leave(leaving(), member_id)

    names.before_keep = they_leave
    with pytest.raises(NotFound):
        await cases.keep_name("1508", member_id, name="Kari Nordmann", email=None)
    assert await names_kept(app) == []
