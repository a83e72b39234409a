"""How the page is rendered: Jinja2 templates with the service's gettext catalogs, the language
(nynorsk unless English is asked for), the headers every page carries, and a route class that
answers every failure with a page in words, never a stack trace or JSON."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import structlog
from fastapi import Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from tvers_runtime.db.key_locks import Busy
from tvers_runtime.domain import Conflict, DomainError, NotFound
from tvers_runtime.eventstore import DuplicateEventId, WrongExpectedVersion
from tvers_runtime.i18n import Catalogs, Locale
from tvers_volunteers.entrypoints.page import texts
from tvers_volunteers.entrypoints.page.refusals import Words, words_for

log = structlog.get_logger(__name__)
CATALOGS = Catalogs("tvers_volunteers")
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
#: Where the page lives; the session cookie is sent to nothing else.
PAGE = "/me"
LANGUAGE_COOKIE = "tvers_lang"
STYLESHEET = resources.files(__package__).joinpath("static", "page.css").read_bytes()
#: The stylesheet's address changes with its content, so browsers may keep it for long.
STYLESHEET_PATH = f"{PAGE}/page.css"
STYLESHEET_URL = f"{STYLESHEET_PATH}?v={hashlib.sha256(STYLESHEET).hexdigest()[:12]}"
#: Every page: kept in no cache (it shows a person's name and shifts), in no frame (its buttons
#: act), no referrer (a sign-in address carries its code), and nothing loaded from elsewhere.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


def locale_of(request: Request) -> Locale:
    """The page's language: ``?lang=en`` or the language chosen before, else nynorsk."""
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return Locale.EN if asked == Locale.EN.value else Locale.NN


class PageProblem(Exception):
    """A request the page refuses: the status, and what to tell the volunteer."""

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


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    """A page in the request's language, with the headers every page carries."""
    locale = locale_of(request)
    other = Locale.NN if locale is Locale.EN else Locale.EN
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "_": CATALOGS.translator(locale),
            "lang": locale.value,
            "other_lang": other.value,
            "other_language_url": _in_language(request, other),
            "stylesheet": STYLESHEET_URL,
            "page": PAGE,
            **context,
        },
        status_code=status_code,
    )
    response.headers.update(PAGE_HEADERS)
    if request.query_params.get("lang") in (Locale.NN.value, Locale.EN.value):
        response.set_cookie(
            LANGUAGE_COOKIE,
            locale.value,
            max_age=365 * 24 * 3600,
            path=PAGE,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def _in_language(request: Request, locale: Locale) -> str:
    """This page in another language; after a form, the volunteer's page (a form's address is
    nothing to open)."""
    url = request.url if request.method == "GET" else request.url.replace(path=PAGE, query="")
    switched = url.include_query_params(lang=locale.value)
    return f"{switched.path}?{switched.query}"


def notice(
    request: Request,
    title: str,
    words: Words,
    *,
    status_code: int = status.HTTP_200_OK,
    back: bool = False,
) -> HTMLResponse:
    """A page that says one thing (signed out, erased, a refusal), with a way back if any."""
    return render(
        request,
        "notice.html",
        {
            "title": CATALOGS.gettext(locale_of(request), title),
            "words": words,
            "back": back,
            "status_code": status_code,
        },
        status_code=status_code,
    )


def problem_page(request: Request, problem: PageProblem) -> HTMLResponse:
    """A refused request as a page; back to the page unless it was about not being signed in."""
    back = problem.status_code != status.HTTP_401_UNAUTHORIZED
    return notice(request, problem.title, problem.words, status_code=problem.status_code, back=back)


def refusal_status(error: DomainError) -> int:
    """The status of a domain refusal, as the JSON API gives it."""
    if isinstance(error, NotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(error, Conflict):
        return status.HTTP_409_CONFLICT
    return status.HTTP_422_UNPROCESSABLE_CONTENT


class PageRoute(APIRoute):
    """A page's route: whatever goes wrong is answered with a page in the volunteer's language
    (a refusal in words, a broken address as "nothing here", our own failure as an apology with
    the correlation id), never with JSON or a stack trace."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_page(request: Request) -> Response:
            try:
                return await handle(request)
            except Exception as error:
                return failure_page(request, error)

        return handle_page


def failure_page(request: Request, error: Exception) -> Response:
    """What a page says when its route failed."""
    if isinstance(error, DomainError):
        words = words_for(error, locale_of(request))
        return notice(request, texts.PROBLEM, words, status_code=refusal_status(error), back=True)
    if isinstance(error, PageProblem):
        problem = error
    elif isinstance(error, RequestValidationError):
        problem = PageProblem(status.HTTP_404_NOT_FOUND, texts.NOTHING_HERE)
    elif isinstance(error, Busy):
        problem = PageProblem(status.HTTP_503_SERVICE_UNAVAILABLE, texts.BUSY)
    elif isinstance(error, WrongExpectedVersion | DuplicateEventId):
        problem = PageProblem(status.HTTP_409_CONFLICT, texts.CHANGED)
    else:
        log.error("page_failed", path=request.url.path, exc_info=error)
        correlation_id = request.scope.get("state", {}).get("correlation_id")
        problem = PageProblem(
            status.HTTP_500_INTERNAL_SERVER_ERROR,
            texts.WENT_WRONG,
            detail=f"correlation id {correlation_id}",
        )
    return problem_page(request, problem)
