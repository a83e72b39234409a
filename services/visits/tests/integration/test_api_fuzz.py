"""Property tests of the visits API from its own OpenAPI document: no 5xx, and every answer is
what the document says."""

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.testing.fuzz import ApiFuzz

pytestmark = pytest.mark.servers


async def test_the_api_answers_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await ApiFuzz(app, client).run()
