"""What every service's HTTP surface promises alike: one error body for every refusal, 413 for
any body over the limit, OpenAPI documents that say what is really returned, and ``/docs`` that
works without internet."""

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
#: A route of each service that takes a body (reporting has none: any path will do, since the
#: limit holds before routing).
WITH_BODY = {
    "access": "/agreements",
    "volunteers": "/shifts",
    "visits": "/class-visits/held",
    "reporting": "/api/daily",
    "desk": "/help",
}
#: Each service's body limit: the runtime's 64 KiB, and 320 KiB at visits, whose resource-bank
#: pages hold up to 50 000 characters (decision 0033).
LIMITS = {
    "access": 64 * 1024,
    "volunteers": 64 * 1024,
    "visits": 320 * 1024,
    "reporting": 64 * 1024,
    "desk": 64 * 1024,
}


async def chunks(total: int, size: int = 4096) -> AsyncIterator[bytes]:
    """A JSON body of about ``total`` bytes, sent in chunks without a Content-Length."""
    yield b'{"card_number": "'
    for _ in range(total // size):
        yield b"1" * size
    yield b'"}'


def assert_error_body(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "detail"}
    assert body["error"] == code
    return body


async def test_a_chunked_body_over_the_limit_gets_413(
    client: httpx.AsyncClient, service: str
) -> None:
    response = await client.post(
        WITH_BODY[service],
        content=chunks(2 * LIMITS[service]),
        headers={**STAFF, "content-type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert_error_body(response, 413, "body_too_large")
    assert "x-correlation-id" in response.headers


async def test_a_declared_body_over_the_limit_gets_413(
    client: httpx.AsyncClient, service: str
) -> None:
    response = await client.post(
        WITH_BODY[service], content=b"1" * (LIMITS[service] + 1), headers=STAFF
    )
    assert_error_body(response, 413, "body_too_large")


@pytest.mark.parametrize("service", ["access"])
async def test_a_chunked_body_within_the_limit_reaches_the_route_whole(
    client: httpx.AsyncClient,
) -> None:
    async def agreement() -> AsyncIterator[bytes]:
        for part in (b'{"card_number": ', b'"N0001', b'2345678"}'):
            yield part

    response = await client.post(
        "/agreements", content=agreement(), headers={**STAFF, "content-type": "application/json"}
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code"),
    [
        ("GET", "/no/such/route", {}, 404, "not_found"),
        ("DELETE", "/healthz", {}, 405, "method_not_allowed"),
        ("GET", "/openapi.json/x", {}, 404, "not_found"),
    ],
)
async def test_unknown_routes_and_methods_get_the_error_body(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    response = await client.request(method, path, headers=headers)
    assert_error_body(response, status, code)


async def test_auth_and_parse_errors_get_the_error_body(
    client: httpx.AsyncClient, service: str
) -> None:
    path = WITH_BODY[service]
    method = "GET" if service == "reporting" else "POST"
    body = assert_error_body(await client.request(method, path, json={}), 401, "unauthorized")
    assert "token" in body["detail"]
    elsewhere = bearer(Role.STAFF, audience=["access" if service == "desk" else "desk"])
    assert_error_body(await client.request(method, path, headers=elsewhere), 401, "unauthorized")
    other_role = bearer(Role.VIEWER if service == "desk" else Role.DESK)
    assert_error_body(await client.request(method, path, headers=other_role), 403, "forbidden")
    if method == "POST":
        not_json = await client.post(
            path, content=b"{nope", headers={**STAFF, "content-type": "application/json"}
        )
        assert_error_body(not_json, 400, "invalid_json")


@pytest.mark.parametrize("service", ["reporting"])
async def test_query_parameter_and_period_errors_get_the_error_body(
    client: httpx.AsyncClient,
) -> None:
    viewer = bearer(Role.VIEWER)
    bad_date = await client.get("/api/daily?from=yesterday", headers=viewer)
    assert_error_body(bad_date, 422, "invalid_request")
    backwards = await client.get("/api/daily?from=2026-10-10&to=2026-10-01", headers=viewer)
    assert_error_body(backwards, 422, "invalid_period")


async def test_an_unknown_query_parameter_is_refused(
    client: httpx.AsyncClient, service: str
) -> None:
    path = "/api/daily" if service == "reporting" else "/healthz"
    typo = await client.get(f"{path}?form=2026-01-01", headers=bearer(Role.VIEWER))
    body = assert_error_body(typo, 422, "invalid_request")
    assert body["detail"] == [{"location": ["query", "form"], "problem": "Unknown query parameter"}]


def error_statuses(operation: dict[str, Any]) -> set[int]:
    return {int(s) for s in operation["responses"] if s.startswith("4")}


async def test_the_openapi_document_describes_the_real_error_body(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert set(schemas["ErrorBody"]["required"]) == {"error", "detail"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorBody"
                    }, f"{method} {path} {status}"
            if operation.get("security"):
                assert {401, 403} <= error_statuses(operation), f"{method} {path}"
            if "requestBody" in operation:
                assert {400, 413, 422} <= error_statuses(operation), f"{method} {path}"
            if method in {"post", "put"}:
                assert {404, 409, 422} <= error_statuses(operation), f"{method} {path}"
            if operation.get("parameters"):
                assert 422 in error_statuses(operation), f"{method} {path}"


async def test_the_openapi_document_says_metrics_are_text(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    metrics = document["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    assert set(metrics) == {"text/plain"}
    readiness = document["paths"]["/readyz"]["get"]["responses"]
    assert {"200", "503"} <= set(readiness)
    served = await client.get("/metrics")
    assert served.headers["content-type"].startswith("text/plain")


async def test_the_docs_page_loads_only_local_assets(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    references = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert references, page.text
    for reference in references:
        assert reference.startswith("/"), reference
        assert not reference.startswith("//"), reference
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
    assert "https://" not in page.text
    assert "http://" not in page.text
    assert (await client.get("/openapi.json")).status_code == 200
    assert (await client.get("/redoc")).status_code == 404


async def test_every_service_has_a_favicon(client: httpx.AsyncClient) -> None:
    for path in ("/favicon.svg", "/favicon.ico"):
        icon = await client.get(path)
        assert icon.status_code == 200
        assert icon.headers["content-type"].startswith("image/svg+xml")
        assert icon.text.lstrip().startswith("<svg")
    docs = (await client.get("/docs")).text
    assert 'href="/favicon.svg"' in docs
