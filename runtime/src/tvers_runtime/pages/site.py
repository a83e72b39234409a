"""A service's pages (decision 0027, shared since 0035): server-rendered HTML under one path, in
nynorsk unless English is asked for, with no front-end build and nothing loaded from elsewhere.

:class:`PageSite` holds what one service's pages share: their path, the service's templates
(before the shared ones: ``base.html``, ``notice.html``, ``hidden_fields.html``) and gettext
catalogs, the stylesheet (the shared rules, then the service's own), the session cookie's name,
and the service's words for its domain's refusals. It renders a page with the headers every page
carries, keeps the language chosen in a cookie, and answers every failure of a route with a page
in words (:meth:`PageSite.router`), never with JSON or a stack trace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from tvers_runtime.domain import DomainError
from tvers_runtime.i18n import Catalogs, Locale
from tvers_runtime.pages.failures import problem_of
from tvers_runtime.pages.refusals import Refusals, Words
from tvers_runtime.pages.routing import add_nothing_here, add_stylesheet, page_router
from tvers_runtime.pages.sessions import OpenedSession

LANGUAGE_COOKIE = "tvers_lang"
_SHARED = resources.files(__package__)
SHARED_TEMPLATES = Path(str(_SHARED.joinpath("templates")))
SHARED_STYLESHEET = _SHARED.joinpath("static", "page.css").read_bytes()
#: Every page: kept in no cache (it shows a person's own data), in no frame (its buttons act),
#: no referrer (a sign-in address may carry a code), and nothing loaded from elsewhere.
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
#: The same for pages that run their own script (served from the service, never inline) and
#: let it talk back to the service (server-sent events), e.g. the live dashboard.
SCRIPTED_PAGE_HEADERS = PAGE_HEADERS | {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}
_A_YEAR = 365 * 24 * 3600


def locale_of(request: Request) -> Locale:
    """The page's language: ``?lang=en`` or the language chosen before, else nynorsk."""
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return Locale.EN if asked == Locale.EN.value else Locale.NN


def secure(request: Request) -> bool:
    """Whether cookies must be marked Secure: the page is served over https, or the service's
    public address (``app.state.public_url``, where it has one) is an https address (the
    services do not trust proxy headers, so behind a TLS-terminating proxy the setting tells)."""
    public_url = getattr(request.app.state, "public_url", None)
    return request.url.scheme == "https" or (
        public_url is not None and public_url.scheme == "https"
    )


class PageSite:
    """What one service's pages share (see the module's docstring)."""

    def __init__(
        self,
        *,
        root: str,
        package: str,
        templates: Path,
        stylesheet: bytes,
        brand: str,
        back_label: str,
        session_cookie: str,
        sign_in_label: str | None = None,
        refusals: Refusals,
        problems: Mapping[type[Exception], tuple[int, str]] | None = None,
        scripted: bool = False,
    ) -> None:
        self.root = root
        #: What the pages' own addresses start with (``""`` for pages at the service's root).
        self.prefix = root.rstrip("/")
        self.headers = SCRIPTED_PAGE_HEADERS if scripted else PAGE_HEADERS
        self.catalogs = Catalogs(package)
        self.templates = Jinja2Templates(directory=[templates, SHARED_TEMPLATES])
        self.stylesheet = SHARED_STYLESHEET + b"\n" + stylesheet
        self.stylesheet_path = f"{self.prefix}/page.css"
        digest = hashlib.sha256(self.stylesheet).hexdigest()[:12]
        #: Its address changes with its content, so browsers may keep it for long.
        self.stylesheet_url = f"{self.stylesheet_path}?v={digest}"
        self.brand = brand
        self.back_label = back_label
        #: The link a "not signed in" page offers to the pages' root, where signing in starts
        #: (none where people sign in by a personal link instead).
        self.sign_in_label = sign_in_label
        self.session_cookie = session_cookie
        self.refusals = refusals
        self.problems = dict(problems or {})

    def words_for(self, request: Request, error: DomainError) -> Words:
        """A refusal of the domain in the page's words."""
        return self.refusals.words_for(error, locale_of(request))

    def render(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any],
        *,
        status_code: int = status.HTTP_200_OK,
    ) -> HTMLResponse:
        """A page in the request's language, with the headers every page carries."""
        locale = locale_of(request)
        other = Locale.NN if locale is Locale.EN else Locale.EN
        gettext = self.catalogs.translator(locale)
        response = self.templates.TemplateResponse(
            request,
            template,
            {
                "_": gettext,
                "lang": locale.value,
                "other_lang": other.value,
                "other_language_url": self._in_language(request, other),
                "stylesheet": self.stylesheet_url,
                "page": self.root,
                "prefix": self.prefix,
                "brand": gettext(self.brand),
                **context,
            },
            status_code=status_code,
        )
        response.headers.update(self.headers)
        if request.query_params.get("lang") in (Locale.NN.value, Locale.EN.value):
            response.set_cookie(
                LANGUAGE_COOKIE,
                locale.value,
                max_age=_A_YEAR,
                path=self.root,
                httponly=True,
                samesite="lax",
                secure=secure(request),
            )
        return response

    def _in_language(self, request: Request, locale: Locale) -> str:
        """This page in another language; after a form, the page itself (a form's address is
        nothing to open)."""
        url = request.url
        if request.method != "GET":
            url = url.replace(path=self.root, query="")
        switched = url.include_query_params(lang=locale.value)
        return f"{switched.path}?{switched.query}"

    def notice(
        self,
        request: Request,
        title: str,
        words: Words,
        *,
        status_code: int = status.HTTP_200_OK,
        link: str | None = None,
    ) -> HTMLResponse:
        """A page that says one thing (signed out, a refusal), with a link to the pages' root
        labelled ``link`` (a marked message) if any."""
        gettext = self.catalogs.translator(locale_of(request))
        return self.render(
            request,
            "notice.html",
            {
                "title": gettext(title),
                "words": words,
                "link": None if link is None else gettext(link),
                "status_code": status_code,
            },
            status_code=status_code,
        )

    def failure_page(self, request: Request, error: Exception) -> Response:
        """What a page says when its route failed: a refusal in words, a broken address as
        "nothing here", our own failure as an apology with the correlation id. Back to the page,
        or where it has one, to signing in when it was about not being signed in."""
        problem = problem_of(request, error, self.problems, self.words_for)
        signed_out = problem.status_code == status.HTTP_401_UNAUTHORIZED
        link = self.sign_in_label if signed_out else self.back_label
        return self.notice(
            request, problem.title, problem.words, status_code=problem.status_code, link=link
        )

    def keep_session(
        self, response: Response, request: Request, opened: OpenedSession[Any]
    ) -> None:
        """Set the session cookie: HttpOnly, SameSite=Lax (a form on another site is sent
        without it), Secure over https, sent to the pages' path only, and kept as long as the
        session lasts (counted by the browser from now: the service's clock is not the
        browser's)."""
        response.set_cookie(
            self.session_cookie,
            opened.cookie,
            max_age=int(opened.lasts.total_seconds()),
            path=self.root,
            httponly=True,
            samesite="lax",
            secure=secure(request),
        )

    def drop_session(self, response: Response, request: Request) -> None:
        """Remove the session cookie from the browser."""
        response.delete_cookie(
            self.session_cookie,
            path=self.root,
            httponly=True,
            samesite="lax",
            secure=secure(request),
        )

    def router(self) -> APIRouter:
        """The router of the pages: out of the OpenAPI document (pages, not an API), each route
        answering its failures with a page, and the stylesheet on it."""
        router = page_router(self.failure_page)
        add_stylesheet(router, self.stylesheet_path, self.stylesheet)
        return router

    def finish(self, router: APIRouter) -> None:
        """Answer any other address under the pages with a page too (added last, so that it
        never shadows a page's own route)."""
        add_nothing_here(router, self.root)
