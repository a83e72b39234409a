"""The school page's shell: the shared page shell (:mod:`tvers_runtime.pages`) set up under
``/skule`` with the service's templates, catalogs, stylesheet and words for refusals, and the
router its routes are on."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from tvers_runtime.pages.site import PageSite
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.refusals import REFUSALS

SITE = PageSite(
    root="/skule",
    package="tvers_visits",
    templates=Path(__file__).parent / "templates",
    stylesheet=resources.files(__package__).joinpath("static", "page.css").read_bytes(),
    brand=texts.BRAND,
    back_label=texts.BACK,
    sign_in_label=texts.TO_SIGN_IN,
    session_cookie="tvers_school_session",
    refusals=REFUSALS,
)
PAGE = SITE.root
router = SITE.router()
