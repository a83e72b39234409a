"""Error responses: what was wrong, in a 4xx, and nothing changed. Never a bare 500 for bad input.

Every error the services give has one body, :class:`ErrorBody`: ``{"error": code, "detail": ...}``
with a stable snake_case code. That holds for domain and validation errors, for authorisation
(``unauthorized``, ``forbidden``), unknown routes (``not_found``), wrong methods
(``method_not_allowed``), bodies that are not JSON (``invalid_json``) or too large
(``body_too_large``, from the middleware), and the rare unexpected error (``internal_error``).

Validation errors leave out the offending input: a door's request carries a card number, and an
error body must not echo it into some proxy's log.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from tvers_runtime.db.key_locks import Busy
from tvers_runtime.domain import Conflict, DomainError, NotFound, RuleViolated
from tvers_runtime.eventstore import DuplicateEventId, WrongExpectedVersion

log = structlog.get_logger(__name__)

_STATUS = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    RuleViolated: status.HTTP_422_UNPROCESSABLE_CONTENT,
}
#: Codes of errors raised without one of their own, by status.
_CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid_json",  # FastAPI: a body it could not decode
    status.HTTP_413_CONTENT_TOO_LARGE: "body_too_large",
    status.HTTP_422_UNPROCESSABLE_CONTENT: "invalid_request",
}


class Problem(BaseModel):
    """One thing wrong with a request: where, and what."""

    location: list[str] = Field(description='Where, e.g. ["body", "periods", "0", "starts"].')
    problem: str


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str = Field(description="A stable snake_case code, e.g. not_found, invalid_request.")
    detail: str | list[Problem] = Field(description="What was wrong, for people.")


class ApiError(HTTPException):
    """An HTTP error with its own code, answered with :class:`ErrorBody`."""

    def __init__(
        self, status_code: int, code: str, detail: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status_code, detail, headers)
        self.code = code


def code_for(status_code: int) -> str:
    """The code of an error that brought none: ``not_found``, ``method_not_allowed`` ..."""
    if status_code in _CODES:
        return _CODES[status_code]
    try:
        return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def _problem(
    status_code: int,
    code: str,
    detail: str | list[Any],
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status_code, headers=headers)


async def _http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = getattr(error, "code", None) or code_for(error.status_code)
    return _problem(error.status_code, code, str(error.detail), error.headers)


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


async def _busy(_: Request, error: Exception) -> JSONResponse:
    return _problem(status.HTTP_503_SERVICE_UNAVAILABLE, "busy", str(error), {"Retry-After": "1"})


async def _reused_ids(_: Request, __: Exception) -> JSONResponse:
    return _problem(
        status.HTTP_409_CONFLICT,
        "idempotency_key_reused",
        "this Idempotency-Key was already used for another request",
    )


async def _unexpected(request: Request, _: Exception) -> JSONResponse:
    correlation_id = request.scope.get("state", {}).get("correlation_id")
    return _problem(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "internal_error",
        f"something went wrong on our side; the log says more (correlation id {correlation_id})",
    )


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error with :class:`ErrorBody`."""
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(WrongExpectedVersion, _concurrency_error)
    app.add_exception_handler(DuplicateEventId, _reused_ids)
    app.add_exception_handler(Busy, _busy)
    app.add_exception_handler(Exception, _unexpected)
