"""A request a page refuses, and the status of a refusal of the domain."""

from __future__ import annotations

from fastapi import status

from tvers_runtime.domain import Conflict, DomainError, NotFound
from tvers_runtime.pages import texts
from tvers_runtime.pages.refusals import Words


class PageProblem(Exception):
    """A request a page refuses: the status, and what to tell the person (marked messages)."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        title: str = texts.PROBLEM,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.title = title
        self.words = Words(message, detail=detail)

    @classmethod
    def in_words(cls, status_code: int, words: Words, *, title: str = texts.PROBLEM) -> PageProblem:
        """A problem told in words made elsewhere (a refusal of the domain, with its values)."""
        problem = cls(status_code, words.message, title=title, detail=words.detail)
        problem.words = words
        return problem


def refusal_status(error: DomainError) -> int:
    """The status of a domain refusal, as the JSON API gives it."""
    if isinstance(error, NotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(error, Conflict):
        return status.HTTP_409_CONFLICT
    return status.HTTP_422_UNPROCESSABLE_CONTENT
