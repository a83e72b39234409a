"""Error responses: what was wrong, in a 4xx, and nothing changed. Never a bare 500 for bad input.

Validation errors leave out the offending input: a door's request carries a card number, and an
error body must not echo it into some proxy's log.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tvers_runtime.domain import Conflict, DomainError, NotFound, RuleViolated
from tvers_runtime.eventstore import DuplicateEventId, WrongExpectedVersion

log = structlog.get_logger(__name__)

_STATUS = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    RuleViolated: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


def _problem(status_code: int, code: str, detail: str | list[Any]) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status_code)


async def _domain_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    code = next((s for kind, s in _STATUS.items() if isinstance(error, kind)), 400)
    return _problem(code, error.code, error.message)


async def _validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [
        {"location": [str(part) for part in e.get("loc", ())], "problem": e.get("msg", "")}
        for e in error.errors()
    ]
    if any(e.get("type") == "json_invalid" for e in error.errors()):
        return _problem(status.HTTP_400_BAD_REQUEST, "invalid_json", problems)
    return _problem(status.HTTP_422_UNPROCESSABLE_CONTENT, "invalid_request", problems)


async def _concurrency_error(_: Request, error: Exception) -> JSONResponse:
    return _problem(
        status.HTTP_409_CONFLICT,
        "concurrent_change",
        f"changed by someone else meanwhile, try again: {error}",
    )


async def _reused_ids(_: Request, __: Exception) -> JSONResponse:
    return _problem(
        status.HTTP_409_CONFLICT,
        "idempotency_key_reused",
        "this Idempotency-Key was already used for another request",
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map domain and validation errors to 4xx responses."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(WrongExpectedVersion, _concurrency_error)
    app.add_exception_handler(DuplicateEventId, _reused_ids)
