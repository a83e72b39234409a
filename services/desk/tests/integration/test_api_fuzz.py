"""Property tests of the desk API from its own OpenAPI document: no 5xx, and every answer is
what the document says."""

import httpx
import pytest
from fastapi import FastAPI

from tvers_desk.testing.desk import PRINTING, STAFF
from tvers_runtime.testing.fuzz import ApiFuzz

pytestmark = [pytest.mark.servers, pytest.mark.slow]


async def test_the_api_answers_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    given = await client.post("/help", json=PRINTING, headers=STAFF)
    assert given.status_code == 201, given.text
    known = {"help_id": given.json()["help_id"], "category_id": "digital-help"}
    await ApiFuzz(app, client, known=known).run()
