"""Searching the resource bank on a real PostgreSQL (Norwegian full text search) fed by the
service's own events over NATS: inflected forms, ranking, snippets, and one municipality never
finding another's pages."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts import REGISTRY
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_visits.adapters import resource_search
from tvers_visits.adapters.resource_search import PostgresResourceSearch
from tvers_visits.testing.resources import listed_at, page, search, streams_exist, write_page

pytestmark = pytest.mark.servers
TEACHER = bearer(Role.TEACHER, school_id="aspoy-skule")
GISKE = bearer(Role.SCHOOL_LIBRARIAN, tenant="1532", school_id="vigra-skule")


@pytest.fixture
async def app(app: FastAPI, nats_server: NatsUnderTest) -> FastAPI:
    """The service, whose subscribers find the streams they read when it starts."""
    await streams_exist(nats_server.url)
    return app


#: Pages whose words the Norwegian snowball stemmer conflates with the searched ones (checked
#: in PostgreSQL: biblioteket, biblioteka -> bibliotek; elevane -> elev; lånekorta -> lånekort;
#: katalogen -> katalog). It does not conflate bøker or bøkene with bok (an umlaut plural).
PAGES = [
    page(
        "lanekort",
        title="Lånekort for 2. trinn",
        markdown="Klassen kjem til biblioteket, og elevane får lånekorta sine.",
    ),
    page(
        "sok-i-katalogen",
        category="library_system",
        title="Søk i katalogen",
        markdown="Slik finn du ein tittel i katalogen: skriv eit ord, og trykk på **Søk**.",
    ),
    page(
        "bokbad",
        category="reading_promotion",
        title="Bokbad i klasserommet",
        markdown="Eit bokbad er ein samtale om ei bok framfor klassen.",
    ),
]


async def written(client: httpx.AsyncClient, pages: list[dict[str, Any]] = PAGES) -> None:
    for body in pages:
        await write_page(client, body)
    await listed_at(client, {body["slug"]: 1 for body in pages})


def slugs(hits: list[dict[str, Any]]) -> list[str]:
    return [hit["slug"] for hit in hits]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("bibliotek", ["lanekort"]),
        ("biblioteka", ["lanekort"]),
        ("elev", ["lanekort"]),
        ("lånekort", ["lanekort"]),
        ("katalog", ["sok-i-katalogen"]),
        ("samtale bok", ["bokbad"]),
        ('"ei bok"', ["bokbad"]),
        ("bibliotek -elev", []),
        ("katalog or bokbad", ["bokbad", "sok-i-katalogen"]),
    ],
)
async def test_a_search_for_a_word_finds_its_inflected_forms(
    client: httpx.AsyncClient, query: str, found: list[str]
) -> None:
    await written(client)
    assert sorted(slugs(await search(client, query, TEACHER))) == found


async def test_a_hit_in_the_title_ranks_first_and_more_hits_rank_higher(
    client: httpx.AsyncClient,
) -> None:
    await written(
        client,
        [
            page("opning", title="Biblioteket", markdown="Opningstider og kontaktinformasjon."),
            page("ein-gong", title="Klassebesøk", markdown="Klassen går til biblioteket i mai."),
            page(
                "tre-gonger",
                title="Klassebesøk",
                markdown="Biblioteket viser klassen biblioteket og kva biblioteket har.",
            ),
        ],
    )
    hits = await search(client, "bibliotek")
    assert slugs(hits) == ["opning", "tre-gonger", "ein-gong"]
    assert hits[0]["rank"] > hits[1]["rank"] > hits[2]["rank"] > 0


async def test_a_snippet_marks_what_was_found_and_escapes_the_rest(
    client: httpx.AsyncClient,
) -> None:
    markdown = (
        "Hugs: 3 < 4 & elevane tek med **lånekorta** til biblioteket.\n\n<script>x()</script>"
    )
    await written(client, [page("lanekort", markdown=markdown)])
    [hit] = await search(client, "lånekort")
    assert hit["title"] == "Lånekort for 2. trinn"
    assert hit["category"] == "class_visit_programmes"
    assert "<mark>lånekorta</mark>" in hit["snippet"]
    assert "3 &lt; 4 &amp; elevane" in hit["snippet"]
    assert "script" not in hit["snippet"]
    assert "x()" not in hit["snippet"]


async def test_one_municipality_never_finds_or_lists_another_municipalitys_pages(
    client: httpx.AsyncClient,
) -> None:
    await written(client)
    theirs = page("lanekort", title="Lånekort på Vigra", markdown="Elevane går til biblioteket.")
    assert (await write_page(client, theirs, headers=GISKE))["version"] == 1
    await listed_at(client, {"lanekort": 1}, headers=GISKE)
    ours = await search(client, "bibliotek")
    assert [hit["title"] for hit in ours] == ["Lånekort for 2. trinn"]
    assert [hit["title"] for hit in await search(client, "bibliotek", GISKE)] == [
        "Lånekort på Vigra"
    ]
    assert await search(client, "katalog", GISKE) == []
    read = await client.get("/resource-pages/lanekort", headers=GISKE)
    assert read.json()["title"] == "Lånekort på Vigra"


@pytest.mark.parametrize(
    "query",
    ['"', '"open', "-", "or", "og", "!!", "&|", "a:*", "'", "\\", "(", ")", "<->", "ø" * 200],
)
async def test_whatever_a_person_types_is_answered(client: httpx.AsyncClient, query: str) -> None:
    await written(client)
    assert isinstance(await search(client, query), list)


async def test_a_query_that_is_not_text_is_refused(client: httpx.AsyncClient) -> None:
    refused: list[dict[str, str]] = [
        {"q": ""},
        {"q": "x" * 201},
        {"q": "a\x00b"},
        {},
        {"q": "bok", "limit": "51"},
        {"q": "bok", "limit": "0"},
    ]
    for params in refused:
        response = await client.get("/resource-search", params=params, headers=TEACHER)
        assert (response.status_code, response.json()["error"]) == (422, "invalid_request")


async def test_an_edit_changes_what_is_found_and_a_removal_takes_the_page_out(
    client: httpx.AsyncClient,
) -> None:
    await written(client)
    body = {**page("lanekort", markdown="Elevane får lånekort på skulen."), "base_version": 1}
    del body["slug"]
    assert (await client.put("/resource-pages/lanekort", json=body)).status_code == 401
    staff = bearer(Role.STAFF)
    assert (await client.put("/resource-pages/lanekort", json=body, headers=staff)).is_success
    await listed_at(client, {"lanekort": 2, "sok-i-katalogen": 1, "bokbad": 1})
    assert slugs(await search(client, "bibliotek")) == []
    assert slugs(await search(client, "skule")) == ["lanekort"]
    removed = await client.delete("/resource-pages/lanekort?base_version=2", headers=staff)
    assert removed.status_code == 200
    await listed_at(client, {"sok-i-katalogen": 1, "bokbad": 1})
    assert slugs(await search(client, "lånekort")) == []


async def test_the_list_is_by_category_and_title(client: httpx.AsyncClient) -> None:
    await written(client)
    everything = await client.get("/resource-pages", headers=TEACHER)
    assert [p["title"] for p in everything.json()] == [
        "Bokbad i klasserommet",
        "Lånekort for 2. trinn",
        "Søk i katalogen",
    ]
    guides = await client.get("/resource-pages?category=library_system", headers=TEACHER)
    assert [p["slug"] for p in guides.json()] == ["sok-i-katalogen"]
    assert guides.json()[0]["author_role"] == "school_librarian"
    wrong = await client.get("/resource-pages?category=oppskrifter", headers=TEACHER)
    assert wrong.status_code == 422


async def test_the_search_table_is_caught_up_from_the_event_store(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await written(client)
    pool = app.state.infrastructure.pool
    await pool.execute("DELETE FROM resource_page_search WHERE slug <> 'bokbad'")
    table = PostgresResourceSearch(pool)
    assert await table.catch_up(REGISTRY) == 2
    assert await table.catch_up(REGISTRY) == 0
    assert slugs(await search(client, "bibliotek")) == ["lanekort"]


async def test_an_older_version_arriving_late_never_undoes_a_newer_one(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await written(client)
    body = {**page("lanekort", markdown="Elevane får lånekort på skulen."), "base_version": 1}
    del body["slug"]
    await client.put("/resource-pages/lanekort", json=body, headers=bearer(Role.STAFF))
    await listed_at(client, {"lanekort": 2, "sok-i-katalogen": 1, "bokbad": 1})
    store = app.state.infrastructure.event_store
    [first, _] = await store.read_stream("resource-page-1508-lanekort")
    async with app.state.infrastructure.pool.acquire() as connection:
        await resource_search.apply(connection, first.decode(REGISTRY))
    assert slugs(await search(client, "bibliotek")) == []
    assert slugs(await search(client, "skule")) == ["lanekort"]
