"""A school year's class visits: booked in staffed hours only, with room at the branch and the
class free, no more pupils than the class has; rescheduled or cancelled until held; held with
counts that make sense. Times are Europe/Oslo wall-clock times."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from uuid import UUID, uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import DayPeriod, SchedulePeriod
from tvers_contracts.events.visits import (
    CancelReason,
    ClassVisitBooked,
    ClassVisitHeld,
    Programme,
    SchoolClass,
    SchoolType,
)
from tvers_contracts.schedule import OSLO, DayHours, Schedule
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference
from tvers_visits.domain import planning, visit_year
from tvers_visits.domain.school import School
from tvers_visits.domain.school_year import NotInASchoolYear
from tvers_visits.domain.visit_year import (
    Booking,
    Branch,
    ClassRef,
    Counts,
    Unbooked,
    VisitStatus,
    VisitYear,
)

SCHOOL = School("aspoy-skule", "Aspøy skule", SchoolType.PRIMARY, "alesund-sentrum")
YOUTH = School("blindheim-ungdomsskule", "Blindheim", SchoolType.LOWER_SECONDARY, "alesund-sentrum")
TWO_A = ClassRef("aspoy-skule", 2, "2A")
TWO_B = ClassRef("aspoy-skule", 2, "2B")
NINE_A = ClassRef("blindheim-ungdomsskule", 9, "9A")
#: A Tuesday in the autumn term.
DAY = date(2026, 11, 24)
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=OSLO)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), OSLO)


def week(staffed: tuple[time, time] = (time(9), time(15))) -> tuple[SchedulePeriod, ...]:
    """Staffed on weekdays, meirope until 22:00 after that."""
    return tuple(
        period
        for weekday in range(1, 6)
        for period in (
            SchedulePeriod(
                weekday=weekday, starts=staffed[0], ends=staffed[1], kind=OpeningKind.STAFFED
            ),
            SchedulePeriod(
                weekday=weekday, starts=staffed[1], ends=time(22), kind=OpeningKind.MEIROPE
            ),
        )
    )


def branch(
    room: int | None = None, exceptions: dict[date, DayHours] | None = None, known: bool = True
) -> Branch:
    return Branch("alesund-sentrum", known, Schedule(week(), exceptions or {}, OSLO), room)


def fold(events: Iterable[DomainEvent], year: VisitYear = visit_year.NO_YEAR) -> VisitYear:
    for event in events:
        year = visit_year.evolve(year, event)
    return year


def with_classes() -> VisitYear:
    return fold(
        [
            *visit_year.set_classes(
                visit_year.NO_YEAR,
                school=SCHOOL,
                label="2026-2027",
                classes=[
                    SchoolClass(grade=2, class_label="2A", pupils=24),
                    SchoolClass(grade=2, class_label="2B", pupils=22),
                    SchoolClass(grade=5, class_label="5A", pupils=20),
                ],
            ),
            *visit_year.set_classes(
                visit_year.NO_YEAR,
                school=YOUTH,
                label="2026-2027",
                classes=[SchoolClass(grade=9, class_label="9A", pupils=28)],
            ),
        ]
    )


def asking(
    ref: ClassRef = TWO_A,
    starts: datetime | None = None,
    hours: float = 2,
    pupils: int = 24,
    programme: Programme = Programme.SECOND_GRADE,
) -> Booking:
    starts = starts or at(DAY, 10)
    return Booking(
        visit_id=uuid4(),
        pupils_of=ref,
        branch_id="alesund-sentrum",
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        expected_pupils=pupils,
        programme=programme,
    )


def book(
    year: VisitYear, booking: Booking, *, at_branch: Branch | None = None, now: datetime = NOW
) -> list[DomainEvent]:
    school = YOUTH if booking.pupils_of.school_id == YOUTH.school_id else SCHOOL
    return visit_year.book(year, booking, school=school, branch=at_branch or branch(), now=now)


def booked(year: VisitYear, booking: Booking, **kwargs: object) -> VisitYear:
    return fold(book(year, booking, **kwargs), year)  # type: ignore[arg-type]


# --- booking ---


def test_a_visit_in_staffed_hours_is_booked_for_its_school_year() -> None:
    events = book(with_classes(), asking())
    assert len(events) == 1
    assert isinstance(events[0], ClassVisitBooked)
    assert (events[0].school_year, events[0].class_label, events[0].expected_pupils) == (
        "2026-2027",
        "2A",
        24,
    )


@pytest.mark.parametrize(
    ("starts", "hours"),
    [
        (at(DAY, 15), 1),  # meirope
        (at(DAY, 14), 2),  # staffed into meirope
        (at(DAY, 8), 2),  # closed into staffed
        (at(date(2026, 11, 28), 10), 2),  # a Saturday: no hours
    ],
)
def test_a_visit_outside_staffed_hours_is_refused(starts: datetime, hours: float) -> None:
    with pytest.raises(RuleViolated, match="staffed hours"):
        book(with_classes(), asking(starts=starts, hours=hours))


def test_an_exception_decides_its_day_closed_or_staffed() -> None:
    closed = {DAY: DayHours((), "Stengt")}
    with pytest.raises(RuleViolated, match="not staffed that day"):
        book(with_classes(), asking(), at_branch=branch(exceptions=closed))
    saturday = date(2026, 11, 28)
    open_day = {
        saturday: DayHours(
            (DayPeriod(starts=time(10), ends=time(14), kind=OpeningKind.STAFFED),), "Open dag"
        )
    }
    assert book(
        with_classes(), asking(starts=at(saturday, 11)), at_branch=branch(exceptions=open_day)
    )


def test_staffed_periods_that_follow_on_each_other_hold_a_visit_across_them() -> None:
    split = {
        DAY: DayHours(
            (
                DayPeriod(starts=time(9), ends=time(11), kind=OpeningKind.STAFFED),
                DayPeriod(starts=time(11), ends=time(15), kind=OpeningKind.STAFFED),
            )
        )
    }
    assert book(with_classes(), asking(starts=at(DAY, 10)), at_branch=branch(exceptions=split))


def test_no_more_pupils_are_expected_than_the_class_has() -> None:
    with pytest.raises(RuleViolated, match="25 pupils expected, but class 2A has 24"):
        book(with_classes(), asking(pupils=25))


def test_a_class_not_registered_for_the_year_cannot_be_booked() -> None:
    with pytest.raises(UnknownReference, match="no class 2C"):
        book(with_classes(), asking(ref=ClassRef("aspoy-skule", 2, "2C")))


def test_a_programme_is_for_its_grade() -> None:
    with pytest.raises(RuleViolated, match="for grade 9, not grade 2"):
        book(with_classes(), asking(programme=Programme.NINTH_GRADE))
    assert book(
        with_classes(),
        asking(ref=ClassRef("aspoy-skule", 5, "5A"), pupils=20, programme=Programme.OTHER),
    )


def test_a_class_has_one_programme_visit_a_year_until_it_is_cancelled() -> None:
    first = asking()
    year = booked(with_classes(), first)
    with pytest.raises(Conflict, match="already has its visit booked on 2026-11-24"):
        book(year, asking(starts=at(DAY + timedelta(days=1), 10)))
    year = fold(visit_year.cancel(year, first.visit_id, CancelReason.ILLNESS), year)
    assert book(year, asking(starts=at(DAY + timedelta(days=1), 10)))


def test_a_branch_without_a_room_size_takes_one_visit_at_a_time() -> None:
    year = booked(with_classes(), asking())
    with pytest.raises(Conflict, match="takes one at a time"):
        book(year, asking(ref=TWO_B, starts=at(DAY, 11), pupils=20))
    assert book(year, asking(ref=TWO_B, starts=at(DAY, 12), pupils=20))  # right after


def test_overlapping_visits_fit_as_long_as_the_room_holds_their_pupils() -> None:
    room = branch(room=50)
    year = booked(with_classes(), asking(pupils=24), at_branch=room)
    year = booked(year, asking(ref=TWO_B, starts=at(DAY, 11), pupils=22), at_branch=room)
    third = asking(
        ref=NINE_A, starts=at(DAY, 11, 30), hours=1, pupils=10, programme=Programme.NINTH_GRADE
    )
    with pytest.raises(Conflict, match=r"holds 50 pupils; .* 56 would be there at once"):
        book(year, third, at_branch=room)
    later = asking(
        ref=NINE_A, starts=at(DAY, 12), hours=1, pupils=28, programme=Programme.NINTH_GRADE
    )
    assert book(year, later, at_branch=room)  # only 2B is left then: 22 + 28


def test_a_class_is_in_one_place_at_a_time() -> None:
    year = booked(with_classes(), asking(), at_branch=branch(room=200))
    other = asking(starts=at(DAY, 11), hours=1, programme=Programme.OTHER)
    with pytest.raises(Conflict, match="class 2A is at alesund-sentrum then"):
        book(year, other, at_branch=branch(room=200))


def test_a_visit_is_booked_ahead_not_in_the_past() -> None:
    with pytest.raises(RuleViolated, match="booked ahead"):
        book(with_classes(), asking(), now=at(DAY, 10))


def test_a_visit_is_not_booked_in_the_summer_holiday() -> None:
    july = date(2027, 7, 6)
    with pytest.raises(NotInASchoolYear):
        book(with_classes(), asking(starts=at(july, 10)))


def test_a_visit_ends_on_its_day_and_may_end_at_midnight() -> None:
    evening = {DAY: DayHours((DayPeriod(starts=time(20), ends=time(0), kind=OpeningKind.STAFFED),))}
    assert book(with_classes(), asking(starts=at(DAY, 22)), at_branch=branch(exceptions=evening))
    with pytest.raises(RuleViolated, match="same day"):
        book(with_classes(), asking(starts=at(DAY, 23)), at_branch=branch(exceptions=evening))


@pytest.mark.parametrize(
    "monday",
    [date(2027, 3, 29), date(2026, 10, 26)],
    ids=["after spring forward", "after fall back"],
)
def test_staffed_hours_are_wall_clock_hours_across_daylight_saving_changes(monday: date) -> None:
    assert book(with_classes(), asking(starts=at(monday, 9), pupils=20))
    with pytest.raises(RuleViolated, match="staffed hours"):
        book(with_classes(), asking(starts=at(monday, 8), pupils=20))


def test_an_unknown_branch_is_refused() -> None:
    with pytest.raises(UnknownReference, match="no branch"):
        book(with_classes(), asking(), at_branch=branch(known=False))


# --- rescheduling and cancelling ---


def test_a_booked_visit_moves_to_another_staffed_time_even_over_its_own() -> None:
    first = asking()
    year = booked(with_classes(), first)
    moved = visit_year.reschedule(
        year,
        first.visit_id,
        starts_at=at(DAY, 11),
        ends_at=at(DAY, 13),
        branch=branch(),
        now=NOW,
    )
    year = fold(moved, year)
    assert year.visit(first.visit_id).starts_at == at(DAY, 11)
    with pytest.raises(RuleViolated, match="staffed hours"):
        visit_year.reschedule(
            year,
            first.visit_id,
            starts_at=at(DAY, 16),
            ends_at=at(DAY, 17),
            branch=branch(),
            now=NOW,
        )


def test_a_visit_moves_within_its_school_year_only() -> None:
    first = asking(starts=at(date(2027, 6, 28), 10))
    year = booked(with_classes(), first)
    with pytest.raises(RuleViolated, match="within its school year"):
        visit_year.reschedule(
            year,
            first.visit_id,
            starts_at=at(date(2027, 8, 16), 10),
            ends_at=at(date(2027, 8, 16), 12),
            branch=branch(),
            now=NOW,
        )


def held_year() -> tuple[VisitYear, UUID]:
    first = asking()
    year = booked(with_classes(), first)
    held = visit_year.record_held(year, first.visit_id, Counts(22, 20, 21), now=at(DAY, 10, 5))
    return fold(held, year), first.visit_id


def test_a_held_visit_is_neither_cancelled_nor_moved() -> None:
    year, visit_id = held_year()
    with pytest.raises(Conflict, match="was held on 2026-11-24; it cannot be cancelled"):
        visit_year.cancel(year, visit_id, CancelReason.OTHER)
    with pytest.raises(Conflict, match="cannot be rescheduled"):
        visit_year.reschedule(
            year, visit_id, starts_at=at(DAY, 12), ends_at=at(DAY, 13), branch=branch(), now=NOW
        )


def test_a_cancelled_visit_is_not_cancelled_again_nor_held() -> None:
    first = asking()
    year = booked(with_classes(), first)
    year = fold(visit_year.cancel(year, first.visit_id, CancelReason.WEATHER_OR_TRAVEL), year)
    assert year.visit(first.visit_id).status is VisitStatus.CANCELLED
    with pytest.raises(Conflict, match="cancelled"):
        visit_year.cancel(year, first.visit_id, CancelReason.OTHER)
    with pytest.raises(Conflict, match="cancelled"):
        visit_year.record_held(year, first.visit_id, Counts(1, 0, 0), now=at(DAY, 11))


def test_an_unknown_visit_is_not_found() -> None:
    with pytest.raises(NotFound):
        visit_year.cancel(with_classes(), uuid4(), CancelReason.OTHER)


# --- held ---


def test_a_held_visit_records_its_counts() -> None:
    year, visit_id = held_year()
    visit = year.visit(visit_id)
    assert (visit.status, visit.counts) == (VisitStatus.HELD, Counts(22, 20, 21))
    with pytest.raises(Conflict, match="already recorded as held"):
        visit_year.record_held(year, visit_id, Counts(22, 20, 21), now=at(DAY, 12))


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (Counts(25, 20, 20), "25 pupils present, but class 2A has 24"),
        (Counts(20, 21, 21), "21 library cards handed out, but only 20 pupils present"),
        (Counts(20, 20, 19), "only 19 guardian consent forms collected"),
        (Counts(20, 20, 25), "25 consent forms collected, but class 2A has 24"),
    ],
)
def test_held_counts_fit_the_class_and_each_other(counts: Counts, message: str) -> None:
    first = asking()
    year = booked(with_classes(), first)
    with pytest.raises(RuleViolated, match=message):
        visit_year.record_held(year, first.visit_id, counts, now=at(DAY, 11))


def test_a_visit_is_recorded_as_held_once_it_has_begun() -> None:
    first = asking()
    year = booked(with_classes(), first)
    with pytest.raises(RuleViolated, match="once it has begun"):
        visit_year.record_held(year, first.visit_id, Counts(20, 20, 20), now=at(DAY, 9, 59))
    assert visit_year.record_held(year, first.visit_id, Counts(20, 20, 20), now=at(DAY, 10))


def unbooked(day: date, ref: ClassRef = TWO_A) -> Unbooked:
    return Unbooked(
        uuid4(), ref, "alesund-sentrum", day, Programme.SECOND_GRADE, Counts(20, 18, 18)
    )


def test_a_visit_held_without_a_booking_is_recorded_afterwards() -> None:
    events = visit_year.record_unbooked(with_classes(), unbooked(DAY), branch_known=True, today=DAY)
    assert isinstance(events[0], ClassVisitHeld)
    assert (events[0].held_on, events[0].school_year, events[0].consent_forms_collected) == (
        DAY,
        "2026-2027",
        18,
    )


@pytest.mark.parametrize(
    ("day", "today", "error", "message"),
    [
        (DAY + timedelta(days=1), DAY, RuleViolated, "before its day"),
        (date(2025, 11, 23), DAY, RuleViolated, "up to a year"),
        (date(2026, 7, 20), DAY, NotInASchoolYear, "summer holiday"),
    ],
)
def test_a_visit_recorded_afterwards_lies_in_the_last_year_and_a_school_year(
    day: date, today: date, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        visit_year.record_unbooked(with_classes(), unbooked(day), branch_known=True, today=today)


def test_a_visit_recorded_afterwards_does_not_double_a_booked_one() -> None:
    year = booked(with_classes(), asking())
    with pytest.raises(Conflict, match="record that one as held"):
        visit_year.record_unbooked(year, unbooked(DAY), branch_known=True, today=DAY)


def test_a_visit_recorded_afterwards_has_no_hours_so_it_takes_no_time_at_the_branch() -> None:
    """Recorded at 10:00 for the morning: its day is known, not its hours. A booking for later
    that day, of another class or of the same class's other programme, is not refused for it."""
    year = with_classes()
    year = fold(visit_year.record_unbooked(year, unbooked(DAY), branch_known=True, today=DAY), year)
    now = at(DAY, 9)
    later = asking(ref=TWO_B, starts=at(DAY, 11, 30), hours=1, pupils=10)
    assert book(year, later, now=now)
    same_class = asking(starts=at(DAY, 11, 30), hours=1, pupils=10, programme=Programme.OTHER)
    assert book(year, same_class, now=now)
    slots = planning.free_slots(
        year,
        "alesund-sentrum",
        branch().schedule,
        length=timedelta(hours=1),
        first=DAY,
        last=DAY,
        after=now,
    )
    assert at(DAY, 11, 30) in [slot.starts_at for slot in slots]


# --- classes and the classes not yet visited ---


def test_the_classes_not_yet_visited_are_the_2nd_and_9th_grades_with_no_visit_booked_or_held() -> (
    None
):
    year = with_classes()
    assert visit_year.not_yet_visited(year) == [TWO_A, TWO_B, NINE_A]
    year = booked(year, asking())
    cancelled = asking(ref=TWO_B, starts=at(DAY, 12), pupils=20)
    year = booked(year, cancelled)
    year = fold(visit_year.cancel(year, cancelled.visit_id, CancelReason.SCHOOL_CANCELLED), year)
    assert visit_year.not_yet_visited(year) == [TWO_B, NINE_A]


def test_a_school_has_classes_of_the_grades_it_teaches() -> None:
    with pytest.raises(RuleViolated, match="has no grade 9"):
        visit_year.set_classes(
            visit_year.NO_YEAR,
            school=SCHOOL,
            label="2026-2027",
            classes=[SchoolClass(grade=9, class_label="9A", pupils=20)],
        )


def test_a_class_with_a_visit_stays_with_the_pupils_it_counts_on() -> None:
    year = booked(with_classes(), asking(pupils=24))
    with pytest.raises(Conflict, match="cancel it before removing the class"):
        visit_year.set_classes(
            year,
            school=SCHOOL,
            label="2026-2027",
            classes=[SchoolClass(grade=2, class_label="2B", pupils=22)],
        )
    with pytest.raises(Conflict, match="for 24 pupils"):
        visit_year.set_classes(
            year,
            school=SCHOOL,
            label="2026-2027",
            classes=[
                SchoolClass(grade=2, class_label="2A", pupils=23),
                SchoolClass(grade=2, class_label="2B", pupils=22),
            ],
        )
