"""How the school page offers free times and says a class's visit: the times grouped by their
Oslo day, four weeks at a time within the school year and never before today; a class held,
booked or not yet booked in words, with a form only for a teacher."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

from tvers_contracts.events.visits import CancelReason, Programme, SchoolClass
from tvers_contracts.schedule import OSLO
from tvers_runtime.i18n import Locale
from tvers_visits.domain.planning import Slot
from tvers_visits.domain.school_year import SchoolYear
from tvers_visits.domain.visit_year import ClassRef, ClassStatus, Counts, Visit, VisitStatus
from tvers_visits.entrypoints.school_page.site import SITE
from tvers_visits.entrypoints.school_page.views import Viewer, class_view, day_offers, window

YEAR = SchoolYear(2026)
TWO_HOURS = timedelta(hours=2)


def slot(day: date, hour: int) -> Slot:
    starts = datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)
    return Slot(starts, starts + TWO_HOURS, "alesund-sentrum")


def viewer(locale: Locale = Locale.NN, *, can_book: bool = True) -> Viewer:
    names = {"alesund-sentrum": "Ålesund hovudbibliotek"}
    return Viewer(locale, SITE.catalogs.translator(locale), names, can_book=can_book)


def status_with(*visits: Visit) -> ClassStatus:
    return ClassStatus("aspoy-skule", SchoolClass(grade=2, class_label="2A", pupils=24), visits)


def visit(status: VisitStatus = VisitStatus.BOOKED, **fields: object) -> Visit:
    starts = datetime(2026, 11, 24, 10, tzinfo=OSLO)
    return Visit(
        visit_id=uuid4(),
        pupils_of=ClassRef("aspoy-skule", 2, "2A"),
        branch_id="alesund-sentrum",
        starts_at=starts,
        ends_at=starts + TWO_HOURS,
        expected_pupils=24,
        programme=Programme.SECOND_GRADE,
        status=status,
        **fields,  # type: ignore[arg-type]
    )


def test_free_times_are_grouped_by_their_oslo_day_in_order() -> None:
    tuesday, wednesday = date(2026, 11, 24), date(2026, 11, 25)
    offers = day_offers([slot(wednesday, 9), slot(tuesday, 12), slot(tuesday, 9)], Locale.NN)
    assert [o.label for o in offers] == ["tysdag 24. november 2026", "onsdag 25. november 2026"]
    assert [t.label for t in offers[0].times] == ["09:00\N{EN DASH}11:00", "12:00\N{EN DASH}14:00"]
    assert offers[0].times[0].value == "2026-11-24T09:00:00+01:00"
    assert day_offers([slot(tuesday, 9)], Locale.EN)[0].label == "Tuesday, November 24, 2026"


def test_the_forms_offer_four_weeks_from_today_or_the_day_asked_within_the_year() -> None:
    today = date(2026, 10, 1)
    first = window(None, today, YEAR)
    assert (first.first, first.last, first.earlier, first.later) == (
        today,
        date(2026, 10, 28),
        None,
        date(2026, 10, 29),
    )
    later = window("2026-10-29", today, YEAR)
    assert (later.first, later.earlier) == (date(2026, 10, 29), today)
    assert window("2020-01-01", today, YEAR) == first
    assert window("not a date", today, YEAR) == first
    end = window("2027-06-20", today, YEAR)
    assert (end.last, end.later) == (YEAR.last_day, None)
    assert window("2031-01-01", today, YEAR).first == YEAR.last_day
    in_july = window(None, date(2026, 7, 10), YEAR)  # the year about to start
    assert in_july.first == YEAR.first_day


def test_a_class_not_yet_booked_offers_the_times_to_a_teacher_only() -> None:
    offers = day_offers([slot(date(2026, 11, 24), 9)], Locale.NN)
    mine = class_view(status_with(), viewer(), offers, TWO_HOURS)
    assert (mine.title, mine.pupils, mine.standing) == (
        "Klasse 2A",
        "Elevar: 24",
        "Ikkje bestilt enno.",
    )
    assert (mine.bookable, mine.offers, mine.cancellable) == (True, offers, None)
    assert mine.lasts == "Besøket tek 120 minutt, for heile klassen."
    read_only = class_view(status_with(), viewer(can_book=False), offers, TWO_HOURS)
    assert (read_only.bookable, read_only.offers) == (False, [])


def test_a_booked_visit_says_when_and_where_and_a_teacher_may_cancel_it() -> None:
    booked = visit()
    view = class_view(status_with(booked), viewer(), [], TWO_HOURS)
    assert view.standing == (
        "Bestilt: tysdag 24. november 2026, 10:00\N{EN DASH}12:00, på Ålesund hovudbibliotek."
    )
    assert (view.cancellable, view.bookable) == (booked.visit_id, False)
    assert (
        class_view(status_with(booked), viewer(can_book=False), [], TWO_HOURS).cancellable is None
    )


def test_a_held_visit_says_its_counts_and_a_cancelled_one_its_reason() -> None:
    counts = Counts(pupils_present=22, library_cards_handed_out=20, consent_forms_collected=21)
    held = class_view(
        status_with(visit(VisitStatus.HELD, counts=counts)), viewer(Locale.EN), [], TWO_HOURS
    )
    assert held.standing == (
        "Visited on Tuesday, November 24, 2026: 22 pupils came, 20 got a library card, and 21 "
        "consent forms were handed in."
    )
    assert (held.cancellable, held.bookable) == (None, False)
    cancelled = visit(VisitStatus.CANCELLED, cancel_reason=CancelReason.WEATHER_OR_TRAVEL)
    again = class_view(status_with(cancelled), viewer(), [], TWO_HOURS)
    assert again.history == [
        "Avbestilt: tysdag 24. november 2026, 10:00\N{EN DASH}12:00 (Vêr eller reise)."
    ]
    assert again.bookable
