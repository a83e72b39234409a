"""The desk page's shell: the shared page shell (:mod:`tvers_runtime.pages`) under ``/desk``,
with the desk package's templates, catalogs, stylesheet and words for refusals, and its one
script (records kept while offline; the page works online without it)."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from fastapi import Response

from tvers_desk.entrypoints.desk_page import texts
from tvers_desk.entrypoints.desk_page.refusals import REFUSALS
from tvers_runtime.pages.site import PageSite

STATIC = resources.files(__package__).joinpath("static")
SITE = PageSite(
    root="/desk",
    package="tvers_desk",
    templates=Path(__file__).parent / "templates",
    stylesheet=STATIC.joinpath("desk.css").read_bytes(),
    brand=texts.BRAND,
    back_label=texts.BACK,
    sign_in_label=texts.TO_SIGN_IN,
    session_cookie="tvers_desk_session",
    refusals=REFUSALS,
    scripted=True,
)
PAGE = SITE.root
router = SITE.router()

_SCRIPT = STATIC.joinpath("desk.js").read_bytes()
#: The script's address changes with its content, so browsers may keep it for long.
SCRIPT_URL = f"{PAGE}/desk.js?v={hashlib.sha256(_SCRIPT).hexdigest()[:12]}"
SITE.templates.env.globals["script"] = SCRIPT_URL


@router.get(f"{PAGE}/desk.js")
async def script() -> Response:
    """The page's script (records kept while offline, sent when back), from the package."""
    return Response(
        _SCRIPT,
        media_type="text/javascript",
        headers={
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        },
    )
