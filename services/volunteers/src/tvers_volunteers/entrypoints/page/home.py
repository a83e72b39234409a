"""What the volunteer's page shows: their name (from the vault, to them alone), their shifts ahead,
the open shifts of the coming weeks, their hours this year, and their certificates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from babel.dates import format_date
from fastapi import Request

from tvers_contracts.schedule import OSLO
from tvers_runtime.i18n import Locale, _, local_date
from tvers_volunteers.adapters.certificate_pdf import hours as said_hours
from tvers_volunteers.application import VolunteersApplication
from tvers_volunteers.certificate_cases import CertificateCases, IssuedCertificate
from tvers_volunteers.domain.hours import hours_of
from tvers_volunteers.domain.limits import FURTHEST_AHEAD, LONGEST
from tvers_volunteers.domain.volunteer import Volunteer
from tvers_volunteers.entrypoints.page.refusals import Words
from tvers_volunteers.entrypoints.page.rendering import CATALOGS, locale_of
from tvers_volunteers.entrypoints.page.session import new_form_key
from tvers_volunteers.entrypoints.page.shift_views import (
    Viewer,
    is_ahead_for,
    is_open_to,
    shift_view,
)
from tvers_volunteers.entrypoints.page.texts import DONE
from tvers_volunteers.registration import Registration
from tvers_volunteers.sign_in_cases import PageSession

#: How far ahead the open shifts reach.
OPEN_REACH = timedelta(days=28)
SHOW_POLICE_CERTIFICATE = _("Show your police certificate to the volunteer centre.")
COMPLETE_INTRODUCTION = _("Complete the introduction for library friends.")
NOT_ACTIVE = _("You are not active as a library friend just now. Ask the volunteer centre.")
CERTIFICATE_LINK = _("Certificate for {period} (PDF)")


@dataclass(frozen=True)
class MonthView:
    """Hours served in one month."""

    month: str
    hours: str


@dataclass(frozen=True)
class CertificateView:
    """An issued certificate and where its PDF is."""

    period: str
    hours: str
    link: str
    pdf: str


def missing_for_hosting(volunteer: Volunteer) -> list[str]:
    """What keeps the volunteer from hosting, as marked messages."""
    if not volunteer.active:
        return [NOT_ACTIVE]
    missing = []
    if volunteer.certificate_shown_on is None:
        missing.append(SHOW_POLICE_CERTIFICATE)
    if volunteer.introduction_completed_on is None:
        missing.append(COMPLETE_INTRODUCTION)
    return missing


def period(first: date, last: date, locale: Locale) -> str:
    """``1. januar 2026 - 3. desember 2026``, with an en dash."""
    return f"{local_date(first, locale)} \N{EN DASH} {local_date(last, locale)}"


def certificate_view(issued: IssuedCertificate, locale: Locale) -> CertificateView:
    """A certificate in the list, with a link text that tells it from the others."""
    event = issued.event
    said = period(event.period_from, event.period_to, locale)
    return CertificateView(
        period=said,
        hours=said_hours(event.minutes_served, locale),
        link=CATALOGS.gettext(locale, CERTIFICATE_LINK).format(period=said),
        pdf=f"/me/certificates/{issued.number}/pdf",
    )


async def home_context(
    request: Request, session: PageSession, volunteer: Volunteer, *, problem: Words | None = None
) -> dict[str, Any]:
    """Everything the page shows the signed-in volunteer."""
    state = request.app.state
    shifts: VolunteersApplication = state.volunteers
    people: Registration = state.registration
    certificates: CertificateCases = state.certificates
    locale = locale_of(request)
    me = session.volunteer_id
    now = shifts.now()
    today = now.astimezone(OSLO).date()
    new_year = datetime.combine(today.replace(month=1, day=1), time(), OSLO)
    person = await people.personal_data(
        me, tenant=session.tenant, reader=session.principal().subject
    )
    names = {b.branch_id: b.name for b in await state.known_branches.listing(session.tenant)}
    viewer = Viewer(me, volunteer.eligible_to_host, now, locale, CATALOGS.translator(locale), names)
    held = await shifts.shifts_of_volunteer(
        me, new_year - LONGEST, now + FURTHEST_AHEAD, tenant=session.tenant
    )
    coming = await shifts.shifts_between(session.tenant, now, now + OPEN_REACH)
    served = hours_of(me, held, first=new_year.date(), last=today)
    done = DONE.get(request.query_params.get("done", ""))
    return {
        "name": person.name,
        "missing": [viewer.gettext(m) for m in missing_for_hosting(volunteer)],
        "done": None if done is None else viewer.gettext(done),
        "problem": problem,
        "ahead": [shift_view(s, viewer) for s in held if is_ahead_for(s, viewer)],
        "open": [shift_view(s, viewer) for s in coming if is_open_to(s, viewer)],
        "hours": said_hours(int(served.total.total_seconds() // 60), locale),
        "shifts_served": served.shifts,
        "months": [
            MonthView(
                format_date(month, "LLLL", locale=locale.value),
                said_hours(int(minutes.total_seconds() // 60), locale),
            )
            for month, minutes in served.by_month.items()
        ],
        "certificates": [
            certificate_view(c, locale)
            for c in reversed(await certificates.all_issued(session.tenant, me))
        ],
        "year_start": new_year.date().isoformat(),
        "today": today.isoformat(),
        "form_token": session.form_token,
        "form_key": new_form_key(),
    }
