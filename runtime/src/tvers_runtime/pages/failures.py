"""What a page says when its route failed, as a :class:`.PageProblem`: a refusal of the domain
in the page's words, in the status the JSON API would give; a broken address as "nothing here";
a failure the service names (busy, changed meanwhile) in its own words; and our own failure as
an apology with the correlation id (and the error in the log)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import structlog
from fastapi import Request, status
from fastapi.exceptions import RequestValidationError

from tvers_runtime.db.key_locks import Busy
from tvers_runtime.domain import DomainError
from tvers_runtime.eventstore import DuplicateEventId, WrongExpectedVersion
from tvers_runtime.pages import texts
from tvers_runtime.pages.problems import PageProblem, refusal_status
from tvers_runtime.pages.refusals import Words

log = structlog.get_logger(__name__)
#: Failures every page answers alike unless its service says otherwise.
SHARED_PROBLEMS: Mapping[type[Exception], tuple[int, str]] = {
    Busy: (status.HTTP_503_SERVICE_UNAVAILABLE, texts.BUSY),
    WrongExpectedVersion: (status.HTTP_409_CONFLICT, texts.CHANGED),
    DuplicateEventId: (status.HTTP_409_CONFLICT, texts.CHANGED),
}


def problem_of(
    request: Request,
    error: Exception,
    problems: Mapping[type[Exception], tuple[int, str]],
    words_for: Callable[[Request, DomainError], Words],
) -> PageProblem:
    """The page's problem for a route's failure (``problems``: the service's own words for some
    kinds of failure, before :data:`SHARED_PROBLEMS`)."""
    if isinstance(error, PageProblem):
        return error
    if isinstance(error, DomainError):
        return PageProblem.in_words(refusal_status(error), words_for(request, error))
    if isinstance(error, RequestValidationError):
        return PageProblem(status.HTTP_404_NOT_FOUND, texts.NOTHING_HERE)
    for kind, (status_code, message) in {**SHARED_PROBLEMS, **problems}.items():
        if isinstance(error, kind):
            return PageProblem(status_code, message)
    log.error("page_failed", path=request.url.path, exc_info=error)
    correlation_id = request.scope.get("state", {}).get("correlation_id")
    return PageProblem(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        texts.WENT_WRONG,
        detail=f"correlation id {correlation_id}",
    )
