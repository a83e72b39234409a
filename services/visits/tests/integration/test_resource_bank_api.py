"""The resource bank over HTTP on a real PostgreSQL and NATS: who may write and read, versions,
edits that meet, and bad input that changes nothing."""

import asyncio
import json
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.events.visits import MOST_TEXT_CHARACTERS
from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import assert_every_route_is_guarded, bearer
from tvers_visits.testing.resources import LIBRARIAN, listed_at, page, write_page
from tvers_visits.testing.school_page import PAGE_ROUTES

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF, subject="staff:kari")
TEACHER = bearer(Role.TEACHER, school_id="aspoy-skule")


async def stored(app: FastAPI) -> int:
    """Resource-bank events stored."""
    count: int = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id LIKE 'resource-page-%'"
    )
    return count


def edit(base_version: int, **changes: Any) -> dict[str, Any]:
    body = page("lanekort", **changes)
    del body["slug"]
    return {**body, "base_version": base_version}


async def test_a_page_with_a_script_is_stored_as_written_and_read_without_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    markdown = "# Velkomen\n\nHugs **lånekorta**.\n\n<script>alert('hei')</script>"
    written = await write_page(client, page("lanekort", markdown=markdown))
    assert (written["version"], written["author_role"]) == (1, "school_librarian")
    read = await client.get("/resource-pages/lanekort", headers=TEACHER)
    assert read.status_code == 200, read.text
    assert read.json()["markdown"] == markdown
    assert "<script" not in read.json()["html"]
    assert "alert" not in read.json()["html"]
    assert "<strong>lånekorta</strong>" in read.json()["html"]
    stored_markdown = await app.state.infrastructure.pool.fetchval(
        "SELECT payload->>'markdown' FROM events WHERE stream_id = 'resource-page-1508-lanekort'"
    )
    assert stored_markdown == markdown


async def test_staff_and_school_librarians_write_teachers_only_read(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    routes = await assert_every_route_is_guarded(app, client, also_public=PAGE_ROUTES)
    writers = frozenset({Role.STAFF, Role.SCHOOL_LIBRARIAN})
    readers = writers | {Role.TEACHER}
    assert routes["POST /resource-pages"] == writers
    assert routes["PUT /resource-pages/{slug}"] == writers
    assert routes["DELETE /resource-pages/{slug}"] == writers
    for path in (
        "/resource-pages",
        "/resource-pages/{slug}",
        "/resource-pages/{slug}/versions",
        "/resource-pages/{slug}/versions/{version}",
        "/resource-search",
    ):
        assert routes[f"GET {path}"] == readers, path


async def test_a_teacher_can_read_but_not_write_change_or_remove_a_page(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await write_page(client, page("lanekort"), headers=STAFF)
    refused = [
        await client.post("/resource-pages", json=page("mi-side"), headers=TEACHER),
        await client.put("/resource-pages/lanekort", json=edit(1), headers=TEACHER),
        await client.delete("/resource-pages/lanekort?base_version=1", headers=TEACHER),
    ]
    assert [(r.status_code, r.json()["error"]) for r in refused] == [(403, "forbidden")] * 3
    assert (await client.get("/resource-pages/lanekort", headers=TEACHER)).status_code == 200
    assert (await client.get("/resource-pages/lanekort/versions", headers=TEACHER)).is_success
    assert await stored(app) == 1


async def test_without_a_valid_token_nothing_is_read(client: httpx.AsyncClient) -> None:
    await write_page(client, page("lanekort"))
    missing = await client.get("/resource-pages/lanekort")
    garbled = await client.get("/resource-search?q=bok", headers={"Authorization": "Bearer x"})
    assert (missing.status_code, garbled.status_code) == (401, 401)


async def test_an_edit_on_the_version_read_makes_the_next_version(
    client: httpx.AsyncClient,
) -> None:
    await write_page(client, page("lanekort"))
    response = await client.put(
        "/resource-pages/lanekort", json=edit(1, markdown="Ny *tekst*."), headers=STAFF
    )
    assert response.status_code == 200, response.text
    assert (response.json()["version"], response.json()["author_role"]) == (2, "staff")
    assert response.json()["html"] == "<p>Ny <em>tekst</em>.</p>\n"
    current = await client.get("/resource-pages/lanekort", headers=TEACHER)
    assert current.json()["version"] == 2


async def test_two_people_editing_the_same_version_the_second_is_told_what_happened(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await write_page(client, page("lanekort"))
    first = await client.put(
        "/resource-pages/lanekort", json=edit(1, markdown="Kari si endring."), headers=STAFF
    )
    second = await client.put(
        "/resource-pages/lanekort", json=edit(1, markdown="Ola si endring."), headers=LIBRARIAN
    )
    assert first.status_code == 200
    assert second.status_code == 409, second.text
    assert second.json()["error"] == "edit_conflict"
    saved_at = datetime.fromisoformat(first.json()["written_at"]).astimezone(OSLO)
    assert second.json()["detail"] == (
        "page 'lanekort' was changed after version 1, which this change was based on: version 2 "
        f"was saved by staff at {saved_at:%Y-%m-%d %H:%M:%S} (Europe/Oslo). Nothing was saved; "
        "read version 2, merge your change into it, and save it with base_version 2"
    )
    current = await client.get("/resource-pages/lanekort", headers=TEACHER)
    assert current.json()["markdown"] == "Kari si endring."
    assert await stored(app) == 2


async def test_of_two_edits_sent_at_the_same_moment_on_one_version_one_is_saved(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await write_page(client, page("lanekort"))
    answers = await asyncio.gather(
        *(
            client.put("/resource-pages/lanekort", json=edit(1, markdown=text), headers=who)
            for text, who in (("Kari si endring.", STAFF), ("Ola si endring.", LIBRARIAN))
        )
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    [saved] = [a.json() for a in answers if a.status_code == 200]
    [refused] = [a.json() for a in answers if a.status_code == 409]
    assert (saved["version"], refused["error"]) == (2, "edit_conflict")
    assert "version 2 was saved" in refused["detail"]
    current = await client.get("/resource-pages/lanekort", headers=TEACHER)
    assert current.json()["markdown"] == saved["markdown"]
    assert await stored(app) == 2


async def test_saving_the_same_page_again_makes_no_version(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await write_page(client, page("lanekort"))
    again = await client.put("/resource-pages/lanekort", json=edit(1), headers=STAFF)
    assert (again.status_code, again.json()["version"]) == (200, 1)
    assert await stored(app) == 1


async def test_the_history_says_which_role_changed_what_when_and_never_who(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    librarian = bearer(Role.SCHOOL_LIBRARIAN, school_id="aspoy-skule", subject="kari@skule.no")
    await write_page(client, page("lanekort"), headers=librarian)
    await client.put("/resource-pages/lanekort", json=edit(1, title="Lånekort"), headers=STAFF)
    history = await client.get("/resource-pages/lanekort/versions", headers=TEACHER)
    assert history.status_code == 200
    assert [(v["version"], v["author_role"], v["title"]) for v in history.json()] == [
        (1, "school_librarian", "Lånekort for 2. trinn"),
        (2, "staff", "Lånekort"),
    ]
    assert all(v["written_at"] for v in history.json())
    events = await app.state.infrastructure.pool.fetch("SELECT payload::text FROM events")
    assert not [e for e in events if "kari" in e["payload"] or "aspoy" in e["payload"]]
    assert "kari" not in history.text


async def test_an_old_version_is_read_as_it_was(client: httpx.AsyncClient) -> None:
    await write_page(client, page("lanekort", markdown="Første *utgåve*."))
    await client.put("/resource-pages/lanekort", json=edit(1, markdown="Andre."), headers=STAFF)
    old = await client.get("/resource-pages/lanekort/versions/1", headers=TEACHER)
    assert old.status_code == 200
    assert (old.json()["version"], old.json()["markdown"]) == (1, "Første *utgåve*.")
    assert old.json()["html"] == "<p>Første <em>utgåve</em>.</p>\n"
    missing = await client.get("/resource-pages/lanekort/versions/3", headers=TEACHER)
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")


async def test_a_removed_page_is_not_shown_or_listed_but_its_history_stays_and_it_can_return(
    following: None, client: httpx.AsyncClient
) -> None:
    await write_page(client, page("lanekort"))
    await write_page(client, page("bokbad", title="Bokbad", category="reading_promotion"))
    await listed_at(client, {"lanekort": 1, "bokbad": 1})
    stale = await client.delete("/resource-pages/lanekort?base_version=0", headers=STAFF)
    assert stale.status_code == 422
    removed = await client.delete("/resource-pages/lanekort?base_version=1", headers=STAFF)
    assert removed.json() == {"slug": "lanekort", "version": 2}
    gone = await client.get("/resource-pages/lanekort", headers=TEACHER)
    assert (gone.status_code, gone.json()["error"]) == (404, "not_found")
    assert "removed in version 2" in gone.json()["detail"]
    await listed_at(client, {"bokbad": 1})
    history = await client.get("/resource-pages/lanekort/versions", headers=TEACHER)
    assert [v["removed"] for v in history.json()] == [False, True]
    late = await client.put("/resource-pages/lanekort", json=edit(1), headers=LIBRARIAN)
    assert (late.status_code, late.json()["error"]) == (409, "edit_conflict")
    assert "version 2 was removed by staff" in late.json()["detail"]
    back = await client.put("/resource-pages/lanekort", json=edit(2), headers=LIBRARIAN)
    assert (back.status_code, back.json()["version"]) == (200, 3)
    await listed_at(client, {"lanekort": 3, "bokbad": 1})


async def test_a_slug_is_taken_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    await write_page(client, page("lanekort"))
    again = await client.post("/resource-pages", json=page("lanekort"), headers=STAFF)
    assert (again.status_code, again.json()["error"]) == (409, "conflict")
    assert await stored(app) == 1


async def test_a_create_repeated_with_its_idempotency_key_is_stored_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    headers = {**LIBRARIAN, "Idempotency-Key": "side-1"}
    first = await client.post("/resource-pages", json=page("lanekort"), headers=headers)
    repeat = await client.post("/resource-pages", json=page("lanekort"), headers=headers)
    assert (first.status_code, repeat.status_code) == (201, 201)
    assert repeat.json() == first.json()
    assert await stored(app) == 1


async def test_unknown_pages_and_versions_are_not_found(client: httpx.AsyncClient) -> None:
    for path in ("/resource-pages/finst-ikkje", "/resource-pages/finst-ikkje/versions"):
        response = await client.get(path, headers=TEACHER)
        assert (response.status_code, response.json()["error"]) == (404, "not_found"), path
    edited = await client.put("/resource-pages/finst-ikkje", json=edit(1), headers=STAFF)
    assert edited.status_code == 404


async def test_a_page_of_the_longest_text_fits_even_with_every_letter_escaped(
    client: httpx.AsyncClient,
) -> None:
    body = page("lang-side", markdown="æ" * MOST_TEXT_CHARACTERS)
    response = await client.post(
        "/resource-pages",
        content=json.dumps(body, ensure_ascii=True),
        headers={**LIBRARIAN, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text[:300]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"title": "x" * 201}, "title"),
        ({"title": "To\nlinjer"}, "title"),
        ({"title": ""}, "title"),
        ({"markdown": "x" * (MOST_TEXT_CHARACTERS + 1)}, "markdown"),
        ({"markdown": ""}, "markdown"),
        ({"category": "oppskrifter"}, "category"),
        ({"slug": "Lånekort!"}, "slug"),
        ({"slug": 7}, "slug"),
        ({"author_role": "staff"}, "author_role"),
        ({"markdown": "nul\x00teikn"}, "body"),
    ],
)
async def test_a_bad_page_is_refused_with_what_was_wrong_and_nothing_stored(
    client: httpx.AsyncClient, app: FastAPI, change: dict[str, Any], where: str
) -> None:
    body = {**page("lanekort"), **change}
    response = await client.post("/resource-pages", json=body, headers=STAFF)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    assert any(where in problem["location"] for problem in response.json()["detail"])
    assert await stored(app) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"title": "   ", "markdown": "Tekst."},
        {"markdown": "  \n  "},
    ],
)
async def test_a_blank_title_or_text_is_refused(
    client: httpx.AsyncClient, app: FastAPI, body: dict[str, Any]
) -> None:
    response = await client.post("/resource-pages", json=page("lanekort", **body), headers=STAFF)
    assert (response.status_code, response.json()["error"]) == (422, "rule_violated")
    assert await stored(app) == 0


@pytest.mark.parametrize("base_version", [0, -1, "1", None, 2**31])
async def test_an_edit_needs_a_version_it_was_based_on(
    client: httpx.AsyncClient, app: FastAPI, base_version: object
) -> None:
    await write_page(client, page("lanekort"))
    body = {**edit(1, markdown="Endra."), "base_version": base_version}
    response = await client.put("/resource-pages/lanekort", json=body, headers=STAFF)
    assert (response.status_code, response.json()["error"]) == (422, "invalid_request")
    assert await stored(app) == 1


async def test_an_edit_on_a_version_to_come_is_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await write_page(client, page("lanekort"))
    response = await client.put("/resource-pages/lanekort", json=edit(2), headers=STAFF)
    assert (response.status_code, response.json()["error"]) == (422, "rule_violated")
    assert "no version 2" in response.json()["detail"]
    assert await stored(app) == 1
