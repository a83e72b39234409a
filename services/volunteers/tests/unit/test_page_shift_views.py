"""A shift on the page offers the volunteer what the rules let them do now, and says where they
stand in words: take a free place, wait for a full shift before it starts, give a place up
before the start, check in from half an hour before, check out once in; hosting only for
those who may host."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from tvers_contracts.events.volunteers import ShiftRole
from tvers_runtime.i18n import Locale
from tvers_volunteers.domain import attendance, claims, shift
from tvers_volunteers.domain.shift import Shift
from tvers_volunteers.entrypoints.page.rendering import CATALOGS
from tvers_volunteers.entrypoints.page.shift_views import (
    Viewer,
    is_ahead_for,
    is_open_to,
    shift_view,
    when,
)
from tvers_volunteers.testing.domain import claimed_by, eligible, fold, id_of, oslo, published

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
STARTS = oslo(date(2026, 12, 3), "18:00")
TODAY = NOW.date()
ME = eligible(today=TODAY)


def viewer(now: datetime = NOW, *, may_host: bool = True, locale: Locale = Locale.NN) -> Viewer:
    return Viewer(
        volunteer_id=id_of(ME),
        may_host=may_host,
        now=now,
        locale=locale,
        gettext=CATALOGS.translator(locale),
        branch_names={"brattvag": "Brattvåg bibliotek"},
    )


def labels(state: Shift, seen_by: Viewer) -> list[str]:
    return [action.label for action in shift_view(state, seen_by).actions]


def paths(state: Shift, seen_by: Viewer) -> list[str]:
    return [action.path.rsplit("/", 1)[1] for action in shift_view(state, seen_by).actions]


def test_a_shift_is_said_with_its_weekday_date_times_and_branch_name() -> None:
    state = published(starts_at=STARTS, now=NOW)
    seen = shift_view(state, viewer())
    assert seen.when == "Torsdag 3. desember, 18:00\N{EN DASH}20:00"
    assert seen.branch == "Brattvåg bibliotek"
    assert seen.role == "Vert"
    assert seen.places == "Ledige plassar: 2 av 2"
    assert when(STARTS, STARTS + timedelta(hours=2), Locale.EN).startswith("Thursday 3 December")


def test_an_open_shift_offers_its_free_place_and_a_full_one_its_waitlist() -> None:
    state = published(starts_at=STARTS, now=NOW, capacity=1)
    assert labels(state, viewer()) == ["Ta vakta"]
    assert shift_view(state, viewer()).actions[0].primary
    full = claimed_by(state, eligible(today=TODAY), now=NOW)
    assert shift_view(full, viewer()).places == "Full; 0 på ventelista"
    assert labels(full, viewer()) == ["Set meg på ventelista"]
    assert paths(full, viewer()) == ["claim"]
    assert labels(full, viewer(STARTS)) == []
    assert is_open_to(full, viewer())
    assert not is_ahead_for(full, viewer())


def test_a_hosting_shift_is_not_offered_to_one_who_may_not_host_but_a_helping_shift_is() -> None:
    hosting = published(starts_at=STARTS, now=NOW)
    not_yet = viewer(may_host=False)
    assert labels(hosting, not_yet) == []
    assert "politiattest" in (shift_view(hosting, not_yet).note or "")
    helping = published(starts_at=STARTS, now=NOW, role=ShiftRole.HELPER)
    assert labels(helping, not_yet) == ["Ta vakta"]
    assert shift_view(helping, not_yet).role == "Hjelpar"


def test_a_held_shift_can_be_given_up_before_it_starts_and_says_when_check_in_opens() -> None:
    state = claimed_by(published(starts_at=STARTS, now=NOW), ME, now=NOW)
    seen = shift_view(state, viewer())
    assert seen.standing == "Du har denne vakta."
    assert seen.note == "Innsjekkinga opnar klokka 17:30."
    assert paths(state, viewer()) == ["release"]
    assert is_ahead_for(state, viewer())
    assert not is_open_to(state, viewer())


def test_check_in_is_offered_from_half_an_hour_before_the_start_until_the_end() -> None:
    state = claimed_by(published(starts_at=STARTS, now=NOW), ME, now=NOW)
    assert paths(state, viewer(STARTS - timedelta(minutes=31))) == ["release"]
    assert paths(state, viewer(STARTS - timedelta(minutes=30))) == ["check-in", "release"]
    assert paths(state, viewer(STARTS)) == ["check-in"]
    assert paths(state, viewer(STARTS + timedelta(hours=1, minutes=59))) == ["check-in"]
    assert not is_ahead_for(state, viewer(STARTS + timedelta(hours=2)))


def test_once_checked_in_the_volunteer_may_check_out_until_the_day_is_over() -> None:
    state = claimed_by(published(starts_at=STARTS, now=NOW), ME, now=NOW)
    state = checked_in(state, id_of(ME), at=STARTS)
    seen = shift_view(state, viewer(STARTS + timedelta(minutes=5)))
    assert seen.standing == "Du sjekka inn klokka 18:00."
    assert paths(state, viewer(STARTS)) == ["check-out"]
    late = viewer(STARTS + timedelta(hours=3))
    assert is_ahead_for(state, late)
    assert paths(state, late) == ["check-out"]
    assert paths(state, viewer(oslo(date(2026, 12, 4), "00:00"))) == []


def test_a_waiting_volunteer_sees_their_place_in_line_and_may_leave() -> None:
    full = claimed_by(
        published(starts_at=STARTS, now=NOW, capacity=1), eligible(today=TODAY), now=NOW
    )
    ahead = eligible(today=TODAY)
    for one in (ahead, ME):
        full = fold(full, claims.join_waitlist(full, volunteer=one, now=NOW), shift.evolve)
    seen = shift_view(full, viewer())
    assert seen.standing == "Du er nummer 2 på ventelista."
    assert paths(full, viewer()) == ["leave-waitlist"]
    assert is_ahead_for(full, viewer())


def test_the_english_page_says_it_in_english() -> None:
    state = claimed_by(published(starts_at=STARTS, now=NOW), ME, now=NOW)
    seen = shift_view(state, viewer(locale=Locale.EN))
    assert seen.standing == "You have this shift."
    assert labels(state, viewer(locale=Locale.EN)) == ["Give up the shift"]
    assert seen.role == "Host"


def checked_in(state: Shift, volunteer_id: UUID, *, at: datetime) -> Shift:
    return fold(state, attendance.check_in(state, volunteer_id=volunteer_id, now=at), shift.evolve)
