"""The category list over HTTP: the defaults on first start (once), and staff adding, renaming
and retiring categories while their ids stay."""

import httpx
import pytest
from fastapi import FastAPI

from tvers_desk.bootstrap import build_app
from tvers_desk.domain.categories import DEFAULT_CATEGORIES
from tvers_desk.settings import DeskSettings
from tvers_desk.testing.desk import PRINTING, SKODJE_DESK, STAFF, stored
from tvers_desk.testing.desk_page import PAGE_ROUTES
from tvers_runtime.testing.http import assert_every_route_is_guarded, running

pytestmark = pytest.mark.servers


async def test_the_list_starts_with_the_defaults_once_across_restarts(
    client: httpx.AsyncClient, app: FastAPI, desk_settings: DeskSettings
) -> None:
    listed = await client.get("/categories", headers=SKODJE_DESK)
    assert [c["category_id"] for c in listed.json()] == [c for c, _, _ in DEFAULT_CATEGORIES]
    assert await stored(app, "CategoryAdded") == len(DEFAULT_CATEGORIES)
    retired = await client.patch("/categories/other", json={"retired": True}, headers=STAFF)
    assert retired.status_code == 200, retired.text
    async with running(build_app(desk_settings)) as again:
        relisted = await again.get("/categories", headers=STAFF)
    assert len(relisted.json()) == len(DEFAULT_CATEGORIES)
    assert await stored(app, "CategoryAdded") == len(DEFAULT_CATEGORIES)
    assert {c["category_id"]: c["retired"] for c in relisted.json()}["other"] is True


async def test_staff_add_rename_and_retire_a_category_and_its_id_stays(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    added = await client.post(
        "/categories",
        json={"category_id": "pension", "name": "Pensjon", "name_en": "Pension"},
        headers=STAFF,
    )
    assert added.status_code == 201, added.text
    assert added.json() == {
        "category_id": "pension",
        "name": "Pensjon",
        "name_en": "Pension",
        "retired": False,
    }
    given = await client.post("/help", json={**PRINTING, "category_id": "pension"}, headers=STAFF)
    assert given.status_code == 201, given.text
    renamed = await client.patch(
        "/categories/pension", json={"name": "Pensjon og trygd"}, headers=STAFF
    )
    assert renamed.json()["name"] == "Pensjon og trygd"
    assert renamed.json()["name_en"] == "Pension"
    retired = await client.patch("/categories/pension", json={"retired": True}, headers=STAFF)
    assert retired.json()["retired"] is True
    taken = await client.post(
        "/categories",
        json={"category_id": "pension", "name": "Pensjon", "name_en": "Pension"},
        headers=STAFF,
    )
    assert (taken.status_code, taken.json()["error"]) == (409, "category_exists")
    assert await stored(app, "CategoryAdded", "CategoryRenamed", "CategoryRetired") == (
        len(DEFAULT_CATEGORIES) + 3
    )


async def test_bad_category_changes_are_refused_and_change_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    before = await stored(app)
    refusals = {
        "name of another": await client.post(
            "/categories",
            json={"category_id": "digital", "name": "Digital hjelp", "name_en": "Digital"},
            headers=STAFF,
        ),
        "blank name": await client.post(
            "/categories",
            json={"category_id": "blank", "name": "   ", "name_en": "Blank"},
            headers=STAFF,
        ),
        "bad id": await client.post(
            "/categories",
            json={"category_id": "Ikkje Slug", "name": "Ny", "name_en": "New"},
            headers=STAFF,
        ),
        "unknown": await client.patch(
            "/categories/astrology", json={"name": "Astrologi"}, headers=STAFF
        ),
        "rename and retire": await client.patch(
            "/categories/other", json={"name": "Anna", "retired": True}, headers=STAFF
        ),
        "nothing": await client.patch("/categories/other", json={}, headers=STAFF),
        "by a desk": await client.post(
            "/categories",
            json={"category_id": "new", "name": "Ny", "name_en": "New"},
            headers=SKODJE_DESK,
        ),
    }
    assert {what: (r.status_code, r.json()["error"]) for what, r in refusals.items()} == {
        "name of another": (409, "category_name_taken"),
        "blank name": (422, "invalid_request"),
        "bad id": (422, "invalid_request"),
        "unknown": (404, "not_found"),
        "rename and retire": (422, "invalid_request"),
        "nothing": (422, "invalid_request"),
        "by a desk": (403, "forbidden"),
    }
    assert await stored(app) == before


async def test_every_route_needs_a_token_of_the_right_role(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    desk_or_staff = frozenset({"desk", "staff"})
    assert await assert_every_route_is_guarded(app, client, also_public=PAGE_ROUTES) == {
        "POST /help": desk_or_staff,
        "GET /help/{help_id}": desk_or_staff,
        "POST /help/{help_id}/undo": desk_or_staff,
        "GET /categories": desk_or_staff,
        "POST /categories": frozenset({"staff"}),
        "PATCH /categories/{category_id}": frozenset({"staff"}),
        "GET /sites": desk_or_staff,
    }
