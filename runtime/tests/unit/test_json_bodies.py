"""A JSON body in which an object gives a key twice is refused with 400 naming the key, at any
depth; a strict request model's wrong JSON type gets 422 naming the field. Through FastAPI and
the services' error handlers, without servers."""

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import Field

from tvers_runtime.http.commands import Strict
from tvers_runtime.http.errors import install_error_handlers
from tvers_runtime.http.json_bodies import (
    DuplicateKey,
    JsonBodyRoute,
    loads,
    require_json_body_routes,
)


class Period(Strict):
    starts: str
    minutes: int


class Booking(Strict):
    room: str
    periods: list[Period] = Field(default_factory=list)


def sample_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter(route_class=JsonBodyRoute)

    @router.post("/bookings")
    async def book(body: Booking) -> dict[str, object]:
        return {"room": body.room, "periods": len(body.periods)}

    app.include_router(router)
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=sample_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sample") as client:
        yield client


@pytest.mark.parametrize(
    ("document", "key"),
    [
        (b'{"a": 1, "a": 2}', "a"),
        (b'{"a": 1, "b": {"c": 1, "d": 2, "c": 1}}', "c"),
        (b'[{"x": 1}, {"x": 1, "x": 1}]', "x"),
        (b'{"\\u0061": 1, "a": 2}', "a"),
        ('{"å": 1, "å": 2}'.encode("utf-16"), "å"),
    ],
)
def test_a_key_given_twice_in_any_object_is_refused(document: bytes, key: str) -> None:
    with pytest.raises(DuplicateKey) as refused:
        loads(document)
    assert refused.value.key == key


@pytest.mark.parametrize(
    "document",
    [
        b'{"a": [1, {"b": null, "c": "d"}], "e": {"f": 1.5}, "g": {}}',
        '{"navn": "Ålesund", "\\ud83d": "x"}'.encode(),
        '\ufeff{"bom": true}'.encode(),
        '{"utf16": [1, 2]}'.encode("utf-16"),
    ],
)
def test_a_document_with_unique_keys_reads_as_json_loads_reads_it(document: bytes) -> None:
    assert loads(document) == json.loads(document)


async def test_a_body_with_a_key_given_twice_gets_400_naming_the_key(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.post(
        "/bookings",
        content=b'{"room": "a", "periods": [{"starts": "10:00", "minutes": 5, "minutes": 50}]}',
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "invalid_json",
        "detail": 'the key "minutes" is given twice in one JSON object; give each key once',
    }


async def test_a_wrong_json_type_gets_422_naming_the_field(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/bookings", json={"room": "a", "periods": [{"starts": "10:00", "minutes": "50"}]}
    )
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "invalid_request",
        "detail": [
            {
                "location": ["body", "periods", "0", "minutes"],
                "problem": "Input should be a valid integer",
            }
        ],
    }


async def test_a_body_with_unique_keys_is_taken(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/bookings", json={"room": "a", "periods": [{"starts": "10:00", "minutes": 50}]}
    )
    assert answer.status_code == 200
    assert answer.json() == {"room": "a", "periods": 1}


def test_a_route_with_a_body_on_a_plain_router_is_refused() -> None:
    plain = APIRouter()

    @plain.get("/bookings")
    async def bookings() -> list[str]:
        return []

    require_json_body_routes([plain])  # no body: nothing to check

    @plain.post("/bookings")
    async def book(body: Booking) -> None:
        return None

    with pytest.raises(TypeError, match="route_class=JsonBodyRoute"):
        require_json_body_routes([plain])


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
async def test_a_body_with_nan_or_infinity_gets_400_as_it_is_no_json(
    client: httpx.AsyncClient, constant: str
) -> None:
    answer = await client.post(
        "/bookings",
        content=b'{"room": "a", "periods": [{"starts": "10:00", "minutes": %s}]}'
        % constant.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "invalid_json",
        "detail": f"{constant} is not a JSON value (RFC 8259); send a number or null",
    }
