"""Every refusal a service really gives is in its OpenAPI document: an unknown query parameter
(422) and a body over the limit (413) are refused on every route, so every route says so."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer, guarded_routes

pytestmark = pytest.mark.servers
LIMIT = 64 * 1024


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, by_method in document["paths"].items()
        for method, operation in by_method.items()
    ]


def concrete(path: str) -> str:
    return (
        path.replace("{shift_id}", "00000000-0000-4000-8000-000000000000")
        .replace("{branch_id}", "example")
        .replace("{door_id}", "example")
    )


def headers_for(app: FastAPI, method: str, path: str) -> dict[str, str]:
    roles = {(r.method, r.path): r.roles for r in guarded_routes(app)[0]}.get((method, path))
    if not roles:
        return {}
    role = Role.STAFF if Role.STAFF in roles else sorted(roles)[0]
    return bearer(role, door_id="example" if role is Role.DOOR else None)


async def test_every_refusal_of_every_route_is_in_its_document(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    document = (await client.get("/openapi.json")).json()
    undocumented = []
    for method, path, operation in operations(document):
        headers = headers_for(app, method, path)
        for kind, request in (
            ("unknown query", {"params": {"no-such-parameter": "1"}}),
            ("large body", {"content": b"1" * (LIMIT + 1)}),
        ):
            response = await client.request(method, concrete(path), headers=headers, **request)
            if response.is_error and str(response.status_code) not in operation["responses"]:
                undocumented.append(f"{method} {path} ({kind}): {response.status_code}")
    assert undocumented == []


@pytest.mark.parametrize("service", ["access"])
async def test_a_body_that_is_not_utf8_is_invalid_json_like_any_other_unreadable_body(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/branches",
        content='{"branch_id": "b1", "name": "Ålesund"}'.encode("latin-1"),
        headers={**bearer(Role.STAFF), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"


@pytest.mark.parametrize("service", ["reporting"])
async def test_a_parameter_of_one_value_given_twice_is_refused_not_taken_as_the_last(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/api/daily?branch_id=skodje&branch_id=giske", headers=bearer(Role.VIEWER)
    )
    assert response.status_code == 422, response.text
    assert response.json() == {
        "error": "invalid_request",
        "detail": [
            {
                "location": ["query", "branch_id"],
                "problem": "Given more than once; it takes one value",
            }
        ],
    }
