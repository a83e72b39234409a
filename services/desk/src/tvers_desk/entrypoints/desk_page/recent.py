"""The last few records made on this browser, kept in a cookie of their ids (no token, nothing
about anyone: random ids, which the service shows only to a desk of the record's own site), and
the choices the page remembers: the department (and for staff, the site)."""

from __future__ import annotations

from uuid import UUID

from fastapi import Request, Response

from tvers_desk.entrypoints.desk_page.site import PAGE
from tvers_runtime.pages.site import secure

RECENT_COOKIE = "tvers_desk_recent"
DEPARTMENT_COOKIE = "tvers_desk_department"
SITE_COOKIE = "tvers_desk_site"
#: How many records the page lists.
MOST_RECENT = 5
#: The list lasts a working day, as a session does; the choices a month.
_A_DAY = 12 * 3600
_A_MONTH = 30 * 24 * 3600


def recent_ids(request: Request) -> list[UUID]:
    """The ids of the records made on this browser, the latest first (what is not an id is
    left out)."""
    found: list[UUID] = []
    for part in request.cookies.get(RECENT_COOKIE, "").split("."):
        try:
            found.append(UUID(part))
        except ValueError:
            continue
    return found[:MOST_RECENT]


def remember(response: Response, request: Request, help_id: UUID, fields: dict[str, str]) -> None:
    """Put a record first in the list, and remember its department and site for the next."""
    ids = [help_id, *(known for known in recent_ids(request) if known != help_id)]
    _keep(response, request, RECENT_COOKIE, ".".join(str(i) for i in ids[:MOST_RECENT]), _A_DAY)
    _keep(response, request, DEPARTMENT_COOKIE, fields.get("department", ""), _A_MONTH)
    _keep(response, request, SITE_COOKIE, fields.get("site", ""), _A_MONTH)


def forget(response: Response, request: Request) -> None:
    """Empty the list (signing in or out: the next person's list starts empty)."""
    response.delete_cookie(
        RECENT_COOKIE, path=PAGE, httponly=True, samesite="lax", secure=secure(request)
    )


def _keep(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PAGE,
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )
