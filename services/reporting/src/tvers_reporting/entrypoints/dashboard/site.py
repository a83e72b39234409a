"""The dashboard's shell: the shared page shell (:mod:`tvers_runtime.pages`) at the service's
root, with the reporting package's templates, catalogs and stylesheet, and its one script (live
updates; the page works without it)."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from fastapi import Response

from tvers_reporting.entrypoints.dashboard import texts
from tvers_runtime.pages.refusals import Refusals
from tvers_runtime.pages.site import PageSite

STATIC = resources.files(__package__).joinpath("static")
SITE = PageSite(
    root="/",
    package="tvers_reporting",
    templates=Path(__file__).parent / "templates",
    stylesheet=STATIC.joinpath("dashboard.css").read_bytes(),
    brand=texts.BRAND,
    back_label=texts.BACK,
    sign_in_label=texts.TO_SIGN_IN,
    session_cookie="tvers_dashboard_session",
    refusals=Refusals({}),
    scripted=True,
)
router = SITE.router()

_SCRIPT = STATIC.joinpath("dashboard.js").read_bytes()
#: The script's address changes with its content, so browsers may keep it for long.
SCRIPT_URL = f"{SITE.prefix}/dashboard.js?v={hashlib.sha256(_SCRIPT).hexdigest()[:12]}"
SITE.templates.env.globals["script"] = SCRIPT_URL


@router.get(f"{SITE.prefix}/dashboard.js")
async def script() -> Response:
    """The dashboard's script (live updates, the sign-in link), served from the package."""
    return Response(
        _SCRIPT,
        media_type="text/javascript",
        headers={
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        },
    )
