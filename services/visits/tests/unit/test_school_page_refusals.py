"""The school page says the class-visit domain's common refusals in its own words, in nynorsk and
English. Each refusal here is raised by the domain's own decision (on the realistic municipality
of the planning tests), so a reworded domain message shows up as a generic line and fails."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from uuid import uuid4

from tvers_contracts.events.visits import CancelReason, Programme
from tvers_contracts.schedule import OSLO
from tvers_runtime.domain import DomainError
from tvers_runtime.i18n import Locale
from tvers_visits.domain import planning, visit_year
from tvers_visits.domain.school import NO_SCHOOLS
from tvers_visits.domain.school_year import SchoolYear
from tvers_visits.domain.visit_year import Booking, Branch, ClassRef, Counts, VisitYear
from tvers_visits.entrypoints.school_page.site import SITE
from tvers_visits.testing.municipality import Municipality, municipality
from tvers_visits.testing.school_page import GENERIC, refusal, said

YEAR = SchoolYear(2026)
NOW = datetime(2026, 10, 1, 12, tzinfo=OSLO)
TOWN: Municipality = municipality(YEAR)
SCHOOL = next(s for s in TOWN.schools.values() if len(TOWN.year.school_classes(s.school_id)) > 1)
FIRST, SECOND = (
    ClassRef(SCHOOL.school_id, c.grade, c.class_label)
    for c in TOWN.year.school_classes(SCHOOL.school_id)[:2]
)
PROGRAMME = planning.programme_of(FIRST.grade)
LENGTH = planning.RULES.lengths[PROGRAMME]
BRANCH = Branch(SCHOOL.nearest_branch_id, True, TOWN.schedules[SCHOOL.nearest_branch_id])
SLOT = planning.free_slots(
    TOWN.year,
    BRANCH.branch_id,
    BRANCH.schedule,
    length=LENGTH,
    first=date(2026, 11, 2),
    last=date(2026, 11, 30),
    after=NOW,
)[0]


def asked(ref: ClassRef, starts_at: datetime = SLOT.starts_at, **changes: object) -> Booking:
    booking = Booking(
        visit_id=uuid4(),
        pupils_of=ref,
        branch_id=BRANCH.branch_id,
        starts_at=starts_at,
        ends_at=starts_at + LENGTH,
        expected_pupils=1,
        programme=PROGRAMME,
    )
    return replace(booking, **changes)  # type: ignore[arg-type]


def booking_of(year: VisitYear, booking: Booking, branch: Branch = BRANCH) -> VisitYear:
    for event in visit_year.book(year, booking, school=SCHOOL, branch=branch, now=NOW):
        year = visit_year.evolve(year, event)
    return year


def test_a_time_taken_or_full_meanwhile_is_said_as_such() -> None:
    first = asked(FIRST)
    year = booking_of(TOWN.year, first)
    taken = refusal(lambda: booking_of(year, asked(SECOND)))
    assert said(taken) == "Ein annan klasse bestilte den tida i mellomtida. Vel ei anna tid."
    assert said(taken, Locale.EN) == (
        "Another class booked that time in the meantime. Choose another time."
    )
    roomy = replace(BRANCH, room=2)
    full = refusal(lambda: booking_of(year, asked(SECOND, expected_pupils=2), roomy))
    assert said(full) == (
        "Biblioteket har ikkje lenger plass til klassen på den tida. Vel ei anna tid."
    )


def test_a_class_already_visiting_or_busy_is_said_with_its_label_and_day() -> None:
    year = booking_of(TOWN.year, asked(FIRST))
    again = refusal(lambda: booking_of(year, asked(FIRST, SLOT.starts_at + timedelta(days=1))))
    day = SLOT.starts_at.astimezone(OSLO).date()
    assert said(again, Locale.EN) == (
        f"Class {FIRST.class_label} already has its visit this school year, on "
        f"{day:%B} {day.day}, {day.year}."
    )
    assert said(again).startswith(f"Klasse {FIRST.class_label} har alt besøket sitt dette")
    busy = refusal(lambda: booking_of(year, asked(FIRST, programme=Programme.OTHER)))
    assert said(busy) == f"Klasse {FIRST.class_label} har eit anna besøk på den tida."


def test_times_the_library_cannot_take_are_said_as_such() -> None:
    evening = datetime.combine(SLOT.starts_at.date(), time(21), OSLO)
    closed = refusal(lambda: booking_of(TOWN.year, asked(FIRST, evening)))
    assert said(closed) == "Biblioteket er ikkje betent på den tida. Vel ei av dei ledige tidene."
    past = refusal(lambda: booking_of(TOWN.year, asked(FIRST, NOW - timedelta(days=1))))
    assert said(past) == "Den tida er alt forbi. Vel ei seinare tid."
    summer = datetime(2027, 7, 6, 10, tzinfo=OSLO)
    holiday = refusal(lambda: booking_of(TOWN.year, asked(FIRST, summer)))
    assert said(holiday) == "Det blir ikkje bestilt besøk i sommarferien."
    unknown = replace(BRANCH, known=False)
    not_known = refusal(lambda: booking_of(TOWN.year, asked(FIRST), unknown))
    assert said(not_known).startswith("Biblioteket er ikkje kjent i bestillinga enno.")


def test_cancelling_what_cannot_be_cancelled_is_said_as_such() -> None:
    booking = asked(FIRST)
    year = booking_of(TOWN.year, booking)
    gone = booking_of(TOWN.year, booking)
    for event in visit_year.cancel(gone, booking.visit_id, CancelReason.ILLNESS):
        gone = visit_year.evolve(gone, event)
    twice = refusal(lambda: visit_year.cancel(gone, booking.visit_id, CancelReason.ILLNESS))
    assert said(twice) == "Besøket er alt avbestilt."
    counts = Counts(pupils_present=1, library_cards_handed_out=0, consent_forms_collected=0)
    after = SLOT.starts_at + timedelta(minutes=30)
    for event in visit_year.record_held(year, booking.visit_id, counts, now=after):
        year = visit_year.evolve(year, event)
    held = refusal(lambda: visit_year.cancel(year, booking.visit_id, CancelReason.ILLNESS))
    assert said(held).startswith("Besøket var ")
    assert said(held).endswith(", så det kan ikkje avbestillast.")
    missing = refusal(lambda: TOWN.year.visit(uuid4()))
    assert said(missing) == "Vi finn ikkje det besøket."


def test_a_class_or_school_not_registered_is_said_as_such() -> None:
    unknown_class = replace(FIRST, class_label=f"{FIRST.grade}Z")
    no_class = refusal(lambda: booking_of(TOWN.year, asked(unknown_class)))
    assert said(no_class) == (
        "Klassen er ikkje registrert for dette skuleåret. Ta kontakt med biblioteket."
    )
    no_school = refusal(lambda: NO_SCHOOLS.get("ukjend-skule"))
    assert said(no_school) == (
        "Skulen din er ikkje registrert for klassebesøk enno. Ta kontakt med biblioteket."
    )


def test_any_other_refusal_gets_a_line_for_its_kind_and_the_domains_own_words() -> None:
    odd = DomainError("something new the domain says")
    words = SITE.refusals.words_for(odd, Locale.NN)
    assert words.message in GENERIC
    assert words.detail == "something new the domain says"
