"""How the school page shows a class and its visit, and the free times it offers: in words of the
page's language, times in Oslo's wall-clock time, days as Babel writes them. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from uuid import UUID

from tvers_contracts.schedule import OSLO
from tvers_runtime.i18n import Locale, _, local_date, local_time
from tvers_visits.domain.planning import Slot
from tvers_visits.domain.school_year import SchoolYear
from tvers_visits.domain.visit_year import ClassStatus, Visit, VisitStatus
from tvers_visits.entrypoints.school_page.texts import REASONS

#: How many days of free times the booking forms offer at once (the page moves by as many).
REACH = timedelta(days=28)
_DAY = timedelta(days=1)
CLASS_TITLE = _("Class {label}")
PUPILS = _("Pupils: {pupils}")
HELD = _(
    "Visited on {day}: {present} pupils came, {cards} got a library card, and {forms} consent "
    "forms were handed in."
)
BOOKED = _("Booked: {when}, at {branch}.")
NOT_BOOKED = _("Not booked yet.")
CANCELLED = _("Cancelled: {when} ({reason}).")
LASTS = _("The visit takes {minutes} minutes, for the whole class.")


@dataclass(frozen=True)
class TimeOption:
    """A free time offered: its start as the form sends it, and as the page says it."""

    value: str
    label: str


@dataclass(frozen=True)
class DayOffer:
    """A day's free times."""

    label: str
    times: tuple[TimeOption, ...]


@dataclass(frozen=True)
class Window:
    """The days whose free times the forms offer, and where the earlier and later ones start."""

    first: date
    last: date
    earlier: date | None
    later: date | None


def window(asked: str | None, today: date, year: SchoolYear) -> Window:
    """The days from ``asked`` (``2026-12-01``; today when not asked or not a date), four weeks
    at most, never before today nor outside the school year."""
    start = max(today, year.first_day)
    try:
        asked_day = date.fromisoformat(asked) if asked else start
    except ValueError:
        asked_day = start
    first = min(max(asked_day, start), year.last_day)
    last = min(first + REACH - _DAY, year.last_day)
    return Window(
        first=first,
        last=last,
        earlier=max(start, first - REACH) if first > start else None,
        later=last + _DAY if last < year.last_day else None,
    )


def day_offers(slots: Sequence[Slot], locale: Locale) -> list[DayOffer]:
    """Free slots grouped by their Oslo day, in order, each said as ``10:00-12:00``."""
    by_day: dict[date, list[TimeOption]] = {}
    for slot in sorted(slots):
        starts, ends = slot.starts_at.astimezone(OSLO), slot.ends_at.astimezone(OSLO)
        label = f"{local_time(starts, locale)}\N{EN DASH}{local_time(ends, locale)}"
        by_day.setdefault(starts.date(), []).append(TimeOption(starts.isoformat(), label))
    return [
        DayOffer(local_date(day, locale, form="full"), tuple(times))
        for day, times in sorted(by_day.items())
    ]


@dataclass(frozen=True)
class Viewer:
    """Who looks, in which language, and what the page knows to show them."""

    locale: Locale
    gettext: Callable[[str], str]
    branch_names: Mapping[str, str]
    can_book: bool

    def when(self, visit: Visit) -> str:
        """``tysdag 24. november 2026, 10:00-12:00`` (with an en dash)."""
        starts, ends = visit.starts_at.astimezone(OSLO), visit.ends_at.astimezone(OSLO)
        day = local_date(starts.date(), self.locale, form="full")
        return f"{day}, {local_time(starts, self.locale)}\N{EN DASH}{local_time(ends, self.locale)}"

    def branch(self, branch_id: str) -> str:
        """A branch's name (its id until the service has learned the name)."""
        return self.branch_names.get(branch_id, branch_id)


@dataclass(frozen=True)
class ClassView:
    """A class as the page shows it, with what can be done about its visit."""

    anchor: str
    title: str
    pupils: str
    standing: str
    grade: int
    label: str
    #: The booked visit a teacher can cancel.
    cancellable: UUID | None = None
    #: The free times a teacher can book, when the class has no visit yet.
    offers: list[DayOffer] = field(default_factory=list)
    lasts: str = ""
    bookable: bool = False
    history: list[str] = field(default_factory=list)


def class_view(
    status: ClassStatus, viewer: Viewer, offers: list[DayOffer], length: timedelta
) -> ClassView:
    """A class, its programme visit (held, booked or not yet), its cancelled visits, and the
    forms a teacher has for it."""
    one = status.school_class
    said = viewer.gettext
    visit = status.programme_visit
    cancelled = [v for v in status.visits if v.status is VisitStatus.CANCELLED]
    history = [
        said(CANCELLED).format(
            when=viewer.when(v),
            reason=said(REASONS[v.cancel_reason]) if v.cancel_reason else "",
        )
        for v in cancelled
    ]
    view = ClassView(
        anchor=f"class-{one.class_label}",
        title=said(CLASS_TITLE).format(label=one.class_label),
        pupils=said(PUPILS).format(pupils=one.pupils),
        standing=said(NOT_BOOKED),
        grade=one.grade,
        label=one.class_label,
        history=history,
    )
    if visit is None:
        bookable = viewer.can_book
        return replace(
            view,
            offers=offers if bookable else [],
            bookable=bookable,
            lasts=said(LASTS).format(minutes=int(length.total_seconds() // 60)),
        )
    if visit.status is VisitStatus.HELD and visit.counts is not None:
        standing = said(HELD).format(
            day=local_date(visit.day, viewer.locale, form="full"),
            present=visit.counts.pupils_present,
            cards=visit.counts.library_cards_handed_out,
            forms=visit.counts.consent_forms_collected,
        )
        return replace(view, standing=standing)
    standing = said(BOOKED).format(when=viewer.when(visit), branch=viewer.branch(visit.branch_id))
    cancellable = visit.visit_id if viewer.can_book else None
    return replace(view, standing=standing, cancellable=cancellable)
