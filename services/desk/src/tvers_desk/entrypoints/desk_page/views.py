"""What the desk page shows: the record form's choices in the page's language, the department
(and site) remembered, and the last few records made on this browser, each with an undo button
while it may be undone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request

from tvers_contracts.events.desk import Channel, Department, Duration
from tvers_contracts.schedule import OSLO
from tvers_desk.application import DeskCases
from tvers_desk.domain.errors import HelpNotFound
from tvers_desk.entrypoints.dependencies import own_site
from tvers_desk.entrypoints.desk_page import texts
from tvers_desk.entrypoints.desk_page.recent import DEPARTMENT_COOKIE, SITE_COOKIE, recent_ids
from tvers_desk.entrypoints.desk_page.site import SITE
from tvers_runtime.i18n import Locale, local_time
from tvers_runtime.pages.forms import new_form_key
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.site import locale_of

#: What a "done" in the page's address says.
DONE = {"recorded": texts.RECORDED, "undone": texts.UNDONE}


@dataclass(frozen=True)
class RecentRecord:
    """One record made on this browser, in words."""

    help_id: str
    at: str
    summary: str
    undone: bool
    may_undo: bool


def cases(request: Request) -> DeskCases:
    """The desk's use cases."""
    desk: DeskCases = request.app.state.desk
    return desk


async def page_context(
    request: Request,
    session: PageSession,
    *,
    problem: Words | None = None,
    chosen: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the page shows (``chosen``: a refused form's choices, kept)."""
    desk = cases(request)
    locale = locale_of(request)
    gettext = SITE.catalogs.translator(locale)
    principal = session.principal
    own = own_site(principal)
    known = await desk.categories(principal.tenant)
    english = locale is Locale.EN
    names = {c.category_id: c.name_en if english else c.name for c in known.categories.values()}
    chosen = chosen or {}
    remembered_site = request.cookies.get(SITE_COOKIE, "")
    done = DONE.get(request.query_params.get("done", ""))
    return {
        "problem": problem,
        "done": None if done is None else gettext(done),
        "own_site": own,
        "site_name": desk.sites.get(own or "", ""),
        "sites": list(desk.sites.items()),
        "chosen_site": chosen.get("site") or own or remembered_site,
        "chosen_department": chosen.get("department") or request.cookies.get(DEPARTMENT_COOKIE),
        "chosen_category": chosen.get("category", ""),
        "chosen_channel": chosen.get("channel") or Channel.IN_PERSON.value,
        "chosen_referral": chosen.get("referred_to", ""),
        "categories": [(c.category_id, names[c.category_id]) for c in known.offered()],
        "departments": [(d.value, gettext(texts.DEPARTMENTS[d])) for d in Department],
        "channels": [(c.value, gettext(texts.CHANNELS[c])) for c in Channel],
        "durations": [(d.value, gettext(texts.DURATIONS[d])) for d in Duration],
        "recent": await _recent(request, session, names, locale),
        "queue": own or "all-sites",
        "form_token": session.form_token,
        "form_key": new_form_key(),
    }


async def _recent(
    request: Request, session: PageSession, names: dict[str, str], locale: Locale
) -> list[RecentRecord]:
    desk = cases(request)
    gettext = SITE.catalogs.translator(locale)
    now: datetime = desk.clock()
    found: list[RecentRecord] = []
    for help_id in recent_ids(request):
        try:
            record = await desk.record(
                session.principal.tenant, help_id, only_site=own_site(session.principal)
            )
        except HelpNotFound:
            continue
        given = record.given
        assert given is not None
        parts = [
            gettext(texts.DEPARTMENTS[given.department]),
            names.get(given.category_id, given.category_id),
            gettext(texts.DURATIONS[given.duration]),
            gettext(texts.CHANNELS[given.channel]),
        ]
        if given.referred_to is not None:
            parts.append(
                gettext(texts.REFERRED_TO).format(
                    department=gettext(texts.DEPARTMENTS[given.referred_to])
                )
            )
        if session.principal.site_id is None:
            parts.append(desk.sites.get(given.site, given.site))
        found.append(
            RecentRecord(
                help_id=str(given.help_id),
                at=local_time(given.given_at.astimezone(OSLO), locale),
                summary=" · ".join(parts),
                undone=record.undone,
                may_undo=not record.undone and now < given.given_at + desk.undo_window,
            )
        )
    return found
