"""Property tests of the reporting API from its own OpenAPI document: no 5xx, and every answer
is what the document says."""

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.testing.fuzz import ApiFuzz

pytestmark = pytest.mark.servers
#: Routes the document must list, so that the fuzzing reaches them.
COVERED = {
    "/api/meirope/open-hours",
    "/api/desk/demand",
    "/api/desk/overlap",
    "/api/desk/referrals",
    "/api/national-statistics/{year}",
    "/api/national-statistics/{year}.csv",
}


async def test_the_api_answers_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    assert set(app.openapi()["paths"]) >= COVERED
    await ApiFuzz(app, client, known={"year": "2026"}).run()
