"""Property tests of the visits API with a resource-bank page in it: the page's routes get past
their 404s (an edit on a page that exists, its versions, its removal), and still every answer is
no 5xx and what the OpenAPI document says (the 409 of an edit on an older version included)."""

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.testing.fuzz import ApiFuzz
from tvers_visits.testing.resources import page, write_page

pytestmark = pytest.mark.servers


async def test_the_resource_bank_answers_every_generated_request_as_documented(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await write_page(client, page("lanekort"))
    await ApiFuzz(app, client, known={"slug": "lanekort", "version": "1"}).run()
