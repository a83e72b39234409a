"""The resource bank on the school's pages, over HTTP on a real PostgreSQL and NATS: a school
librarian writes a page in Markdown and reads it as safe HTML (a script in it never reaches the
page), edits it on the version read, and is told in words, with their text kept, when someone
saved it meanwhile; the history says each version's role and time; a search finds a word's
inflected forms and shows its snippet safely; teachers read and search, and cannot write."""

from __future__ import annotations

import re
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pages import hidden_fields
from tvers_visits.testing.resources import listed_at, page, write_page
from tvers_visits.testing.school_page import PAGE, access_code, sign_in, signed_in_page

pytestmark = pytest.mark.servers
NOW = datetime(2026, 11, 30, 14, 2, tzinfo=OSLO)
RESOURCES = f"{PAGE}/resources"
LIBRARIAN = access_code(Role.SCHOOL_LIBRARIAN, school_id="aspoy-skule")
TEACHER = access_code(Role.TEACHER, school_id="aspoy-skule")
STAFF = bearer(Role.STAFF, subject="staff:kari")
SCRIPTED = (
    "# Velkomen\n\nHugs **lånekorta**.\n\n<script>alert('hei')</script>\n\n"
    '<a href="javascript:alert(1)" onclick="alert(2)">Trykk</a>'
)


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(NOW)


async def page_events(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id LIKE 'resource-page-%'"
    )
    return count


async def new_page(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    """Write a new page through the editor, as the signed-in school librarian."""
    editor = await signed_in_page(client, path=f"{PAGE}/new-page")
    form = {
        **hidden_fields(editor),
        "category": "class_visit_programmes",
        "title": "Lånekort for 2. trinn",
        "markdown": "Klassen kjem til biblioteket, og elevane får lånekorta sine.",
        **fields,
    }
    return await client.post(RESOURCES, data=form)


def text(html: str) -> str:
    """What a part of a page says, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def textarea(html: str) -> str:
    """The text the editor's textarea holds, as the browser reads it (a newline right after the
    opening tag is not part of it)."""
    found = re.search(r'<textarea id="markdown"[^>]*>\n(.*?)</textarea>', html, re.S)
    assert found is not None, html
    return found.group(1)


async def test_a_librarian_writes_a_page_and_reads_it_without_its_script(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await sign_in(client, LIBRARIAN)
    resources = await signed_in_page(client, path=RESOURCES)
    assert f'href="{PAGE}/new-page"' in resources
    editor = await signed_in_page(client, path=f"{PAGE}/new-page")
    assert "<h1>Skriv ei ny side</h1>" in editor
    assert 'name="base_version"' not in editor

    written = await new_page(client, markdown=SCRIPTED)
    assert written.status_code == 303, written.text
    assert written.headers["location"] == f"{RESOURCES}/lanekort-for-2-trinn?done=saved"
    shown = await signed_in_page(client, "?done=saved", path=f"{RESOURCES}/lanekort-for-2-trinn")
    assert "Sida er lagra." in shown
    assert "<h1>Lånekort for 2. trinn</h1>" in shown
    assert "<h2>Velkomen</h2>" in shown  # under the page's own h1
    assert "<strong>lånekorta</strong>" in shown
    assert "<script" not in shown
    assert "alert" not in shown
    assert "javascript:" not in shown
    assert "onclick" not in shown
    assert (
        "Programma for klassebesøka. Versjon 1, lagra av ein skulebibliotekar 30. november "
        "2026, 14:02." in text(shown)
    )
    assert f'href="{RESOURCES}/lanekort-for-2-trinn/edit"' in shown
    stored = await client.get("/resource-pages/lanekort-for-2-trinn", headers=STAFF)
    assert stored.json()["markdown"] == SCRIPTED  # stored as written
    assert stored.json()["author_role"] == "school_librarian"


async def test_a_librarian_edits_a_page_on_the_version_read_and_sees_its_history(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock
) -> None:
    await write_page(client, page("lanekort"))
    await sign_in(client, LIBRARIAN)
    editor = await signed_in_page(client, path=f"{RESOURCES}/lanekort/edit")
    assert "<h1>Endre sida «Lånekort for 2. trinn»</h1>" in editor
    fields = hidden_fields(editor)
    assert fields["base_version"] == "1"
    assert textarea(editor) == page("lanekort")["markdown"]
    clock.now = datetime(2026, 11, 30, 15, 30, tzinfo=OSLO)

    saved = await client.post(
        f"{RESOURCES}/lanekort",
        data={
            **fields,
            "category": "class_visit_programmes",
            "title": "Lånekort for 2. trinn",
            "markdown": "Ta med **samtykkeskjemaa**.\r\n\r\nBiblioteket lagar korta.",
        },
    )
    assert saved.status_code == 303, saved.text
    shown = await signed_in_page(client, path=f"{RESOURCES}/lanekort")
    assert "<strong>samtykkeskjemaa</strong>" in shown
    assert "Versjon 2, lagra av ein skulebibliotekar 30. november 2026, 15:30." in text(shown)
    history = await signed_in_page(client, path=f"{RESOURCES}/lanekort/history")
    said = text(history)
    assert said.index(
        "Versjon 2, lagra av ein skulebibliotekar 30. november 2026, 15:30."
    ) < said.index("Versjon 1, lagra av ein skulebibliotekar 30. november 2026, 14:02.")
    assert f'href="{RESOURCES}/lanekort/versions/1"' in history
    old = await signed_in_page(client, path=f"{RESOURCES}/lanekort/versions/1")
    assert "Dette er ein eldre versjon av sida." in old
    assert "elevane får lånekorta sine" in old
    assert "/edit" not in old


async def test_an_edit_that_met_another_is_told_in_words_and_keeps_what_was_written(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock
) -> None:
    await write_page(client, page("lanekort"))
    await sign_in(client, LIBRARIAN)
    fields = hidden_fields(await signed_in_page(client, path=f"{RESOURCES}/lanekort/edit"))
    clock.now = datetime(2026, 11, 30, 14, 30, tzinfo=OSLO)
    theirs = {**page("lanekort", markdown="Staff skreiv dette."), "base_version": 1}
    del theirs["slug"]
    assert (
        await client.put("/resource-pages/lanekort", json=theirs, headers=STAFF)
    ).status_code == 200
    before = await page_events(app)
    mine = "Mi eiga **lange** endring,\nskriven over fleire minutt."

    met = await client.post(
        f"{RESOURCES}/lanekort",
        data={**fields, "category": "reading_promotion", "title": "Min tittel", "markdown": mine},
    )
    assert met.status_code == 409, met.text
    assert 'role="alert"' in met.text
    assert (
        "Medan du skreiv, lagra dei tilsette i biblioteket versjon 2 av sida, 30. november 2026, "
        "14:30. Ingenting av ditt vart lagra: teksten din står att nedanfor." in text(met.text)
    )
    assert textarea(met.text) == mine
    assert 'value="Min tittel"' in met.text
    assert '<option value="reading_promotion" selected>' in met.text
    again = hidden_fields(met.text)
    assert again["base_version"] == "2"
    assert "Staff skreiv dette." in met.text  # the page as it is now, beside the editor
    assert await page_events(app) == before
    assert (await client.get("/resource-pages/lanekort", headers=STAFF)).json()["version"] == 2

    saved = await client.post(
        f"{RESOURCES}/lanekort",
        data={**again, "category": "reading_promotion", "title": "Min tittel", "markdown": mine},
    )
    assert saved.status_code == 303, saved.text
    now = (await client.get("/resource-pages/lanekort", headers=STAFF)).json()
    assert (now["version"], now["markdown"], now["title"]) == (3, mine, "Min tittel")


async def test_a_refused_page_says_why_and_keeps_what_was_written(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await write_page(client, page("lanekort-for-2-trinn"))
    await sign_in(client, LIBRARIAN)
    before = await page_events(app)
    untitled = await new_page(client, title="  ", markdown="Noko tekst eg skreiv.")
    assert untitled.status_code == 422
    assert "Gje sida ein tittel med bokstavar eller tal i." in untitled.text
    assert textarea(untitled.text) == "Noko tekst eg skreiv."
    taken = await new_page(client, markdown="Ein annan tekst.")
    assert taken.status_code == 409
    assert "Det finst alt ei side med den tittelen." in taken.text
    assert textarea(taken.text) == "Ein annan tekst."
    uncategorised = await new_page(client, title="Ny side", category="gossip")
    assert uncategorised.status_code == 422
    assert "Vel kva sida handlar om." in uncategorised.text
    empty = await new_page(client, title="Ny side", markdown=" ")
    assert empty.status_code == 422
    assert "Skriv noko tekst på sida." in empty.text
    assert await page_events(app) == before


async def test_a_search_finds_inflected_forms_and_shows_its_snippet_safely(
    following: None, client: httpx.AsyncClient
) -> None:
    markdown = "På biblioteket er 3 < 5, og `<i>` i søkjefeltet er tekst."
    await write_page(client, page("sok", title="Søk i katalogen", markdown=markdown))
    await write_page(
        client,
        page("bokprat", category="reading_promotion", title="Bokprat", markdown="Prat om bøker."),
    )
    await listed_at(client, {"sok": 1, "bokprat": 1})
    await sign_in(client, TEACHER)

    listed = await signed_in_page(client, path=RESOURCES)
    assert listed.index("Lesestimulering") < listed.index("Bokprat")
    assert listed.index("Programma for klassebesøka") < listed.index("Søk i katalogen")
    found = await signed_in_page(client, "?q=bibliotek", path=RESOURCES)
    assert "Funne for «bibliotek»" in found
    section = found[found.index('id="found"') : found.index('id="pages"')]
    assert f'href="{RESOURCES}/sok"' in section
    assert "<mark>biblioteket</mark>" in section
    assert "3 &lt; 5" in section  # the text escaped
    assert "<i>" not in section
    assert "Bokprat" not in section
    nothing = await signed_in_page(client, "?q=dinosaur", path=RESOURCES)
    assert "Ingen sider inneheld dei orda." in nothing
    too_long = await client.get(RESOURCES, params={"q": "x" * 201})
    assert too_long.status_code == 422
    assert "Søk med høgst 200 teikn." in too_long.text


async def test_a_teacher_reads_and_cannot_write(client: httpx.AsyncClient, app: FastAPI) -> None:
    await write_page(client, page("lanekort", markdown=SCRIPTED))
    await sign_in(client, TEACHER)
    shown = await signed_in_page(client, path=f"{RESOURCES}/lanekort")
    assert "<strong>lånekorta</strong>" in shown
    assert "<script" not in shown
    assert "/edit" not in shown
    assert "/new-page" not in await signed_in_page(client, path=RESOURCES)
    fields = hidden_fields(shown)
    before = await page_events(app)

    for refused in (
        await client.get(f"{PAGE}/new-page"),
        await client.get(f"{RESOURCES}/lanekort/edit"),
        await client.post(
            RESOURCES,
            data={**fields, "category": "reading_promotion", "title": "Mi side", "markdown": "x"},
        ),
        await client.post(
            f"{RESOURCES}/lanekort",
            data={
                **fields,
                "base_version": "1",
                "category": "reading_promotion",
                "title": "Mi side",
                "markdown": "x",
            },
        ),
    ):
        assert refused.status_code == 403, refused.request.url
        assert "Berre skulebibliotekarar skriv i ressursbanken på denne sida." in refused.text
    assert await page_events(app) == before


async def test_an_unknown_page_is_said_in_words(client: httpx.AsyncClient) -> None:
    await sign_in(client, LIBRARIAN)
    unknown = await client.get(f"{RESOURCES}/ukjend")
    assert unknown.status_code == 404
    assert "Vi finn ikkje den sida i ressursbanken." in unknown.text
    not_a_slug = await client.get(f"{RESOURCES}/Not%20a%20slug")
    assert not_a_slug.status_code == 404
    assert "Her er det ingenting." in not_a_slug.text
