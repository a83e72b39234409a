"""How the page is rendered: the shared page shell (:mod:`tvers_runtime.pages`) set up for the
volunteer's page, under ``/me``, with the service's templates, catalogs and stylesheet, and its
own words for a busy moment and a shift that changed meanwhile."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import status

from tvers_runtime.db.key_locks import Busy
from tvers_runtime.eventstore import DuplicateEventId, WrongExpectedVersion
from tvers_runtime.i18n import _
from tvers_runtime.pages.problems import PageProblem, refusal_status
from tvers_runtime.pages.site import PAGE_HEADERS, PageSite, locale_of
from tvers_volunteers.entrypoints.page import texts
from tvers_volunteers.entrypoints.page.refusals import REFUSALS

SITE = PageSite(
    root="/me",
    package="tvers_volunteers",
    templates=Path(__file__).parent / "templates",
    stylesheet=resources.files(__package__).joinpath("static", "page.css").read_bytes(),
    brand=_("Library friend"),
    back_label=_("Back to my page"),
    session_cookie="tvers_volunteer_session",
    refusals=REFUSALS,
    problems={
        Busy: (status.HTTP_503_SERVICE_UNAVAILABLE, texts.BUSY),
        WrongExpectedVersion: (status.HTTP_409_CONFLICT, texts.CHANGED),
        DuplicateEventId: (status.HTTP_409_CONFLICT, texts.CHANGED),
    },
)
#: Where the page lives; the session cookie is sent to nothing else.
PAGE = SITE.root
CATALOGS = SITE.catalogs
render = SITE.render
notice = SITE.notice

__all__ = [
    "CATALOGS",
    "PAGE",
    "PAGE_HEADERS",
    "SITE",
    "PageProblem",
    "locale_of",
    "notice",
    "refusal_status",
    "render",
]
