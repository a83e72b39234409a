"""No secret reaches a log line: a token in a request's query string (the dashboard's sign-in
address, ``/signin?token=...``) is redacted from the access log as values of secret keys are."""

import logging

import pytest

from tvers_runtime.logging import configure_logging

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic3RhZmYifQ.c2lnbmF0dXJl"


def test_a_token_in_a_query_string_is_redacted_from_the_access_log(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(service="tests", json=True)
    # What uvicorn's access logger emits for the dashboard's sign-in address.
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/signin?token={TOKEN}&x=1", "1.1", 303
    )
    logging.getLogger("tests").warning("asked for /signin?lang=en&token=%s", TOKEN)
    written = capsys.readouterr().err
    assert "/signin?token=[redacted]&x=1" in written
    assert TOKEN not in written
