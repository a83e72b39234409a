"""What every signed-in page of the school shows: the session's own school (no route of the
pages takes a school id), who is signed in, the nav between the pages, a word of what was just
done or why a request was refused, and the hidden fields of its forms."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from tvers_runtime.auth import Role
from tvers_runtime.i18n import _
from tvers_runtime.pages.forms import new_form_key
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.site import locale_of
from tvers_visits.application import VisitsApplication
from tvers_visits.domain.school import School
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.site import SITE

SIGNED_IN_AS = {
    Role.TEACHER: _("You are signed in as a teacher at {school}."),
    Role.SCHOOL_LIBRARIAN: _("You are signed in as the school librarian at {school}."),
}


def school_of(session: PageSession) -> str:
    """The one school the session acts for (sign-in admits no token without one)."""
    school_id = session.principal.school_id
    if school_id is None:  # pragma: no cover - refused at sign-in
        raise ValueError("a school page session without a school")
    return school_id


async def page_context(
    request: Request, session: PageSession, current: str, *, problem: Words | None = None
) -> tuple[School | None, dict[str, Any]]:
    """The session's school (None while it is not registered) and what every page of the school
    shows; ``current`` names the page in the nav (``classes``, ``deposits``, ``resources``)."""
    who = session.principal
    gettext = SITE.catalogs.translator(locale_of(request))
    done = texts.DONE.get(request.query_params.get("done", ""))
    schools: VisitsApplication = request.app.state.visits
    school = (await schools.schools(who.tenant)).schools.get(school_of(session))
    return school, {
        "problem": problem,
        "done": None if done is None else gettext(done),
        "form_token": session.form_token,
        "form_key": new_form_key(),
        "current": current,
        "school": None if school is None else school.name,
        "signed_in_as": (
            None if school is None else gettext(SIGNED_IN_AS[who.role]).format(school=school.name)
        ),
        "can_book": who.role is Role.TEACHER,
        "can_write": who.role is Role.SCHOOL_LIBRARIAN,
    }
