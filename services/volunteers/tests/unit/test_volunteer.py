"""A volunteer registers with only an age band in the events, and may host once staff have seen
the police certificate and the introduction is completed, while active and not erased."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    AgeBand,
    RecruitmentChannel,
    VolunteerErased,
    VolunteerRegistered,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_volunteers.domain import volunteer
from tvers_volunteers.domain.age import age_band
from tvers_volunteers.testing.domain import STAFF, eligible, fold, registered

TODAY = date(2026, 11, 28)


def then(state: volunteer.Volunteer, events: list[DomainEvent]) -> volunteer.Volunteer:
    return fold(state, events, volunteer.evolve)


def test_registration_carries_the_age_band_channel_campaign_and_vgs_status_only() -> None:
    volunteer_id, campaign_id = uuid4(), uuid4()
    [event] = volunteer.register(
        volunteer.NO_VOLUNTEER,
        volunteer_id=volunteer_id,
        birth_year=2009,
        vgs_student=True,
        channel=RecruitmentChannel.VGS_VISIT,
        campaign_id=campaign_id,
        today=TODAY,
    )
    assert event == VolunteerRegistered(
        volunteer_id=volunteer_id,
        age_band=AgeBand.UNDER_18,
        vgs_student=True,
        channel=RecruitmentChannel.VGS_VISIT,
        campaign_id=campaign_id,
    )
    assert "2009" not in event.model_dump_json()


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [
        (2011, AgeBand.UNDER_18),  # 15 this year: the youngest
        (2009, AgeBand.UNDER_18),  # 17
        (2008, AgeBand.FROM_18_TO_25),
        (2001, AgeBand.FROM_18_TO_25),  # 25
        (2000, AgeBand.FROM_26_TO_66),
        (1960, AgeBand.FROM_26_TO_66),  # 66
        (1959, AgeBand.FROM_67),
        (1916, AgeBand.FROM_67),  # 110: the oldest
    ],
)
def test_the_age_band_is_the_age_reached_in_the_year_of_registration(
    birth_year: int, band: AgeBand
) -> None:
    assert age_band(birth_year, TODAY) == band


@pytest.mark.parametrize(("birth_year", "says"), [(2012, "at least 15"), (1915, "110 years")])
def test_a_birth_year_too_young_or_too_old_is_refused(birth_year: int, says: str) -> None:
    with pytest.raises(RuleViolated, match=says):
        age_band(birth_year, TODAY)


def test_a_volunteer_registers_once() -> None:
    state = registered(today=TODAY)
    with pytest.raises(Conflict, match="already registered"):
        volunteer.register(
            state,
            volunteer_id=uuid4(),
            birth_year=1990,
            vgs_student=False,
            channel=RecruitmentChannel.FRISKUS,
            campaign_id=None,
            today=TODAY,
        )


def test_a_new_volunteer_is_active_but_not_eligible_to_host() -> None:
    state = registered(today=TODAY)
    assert state.active
    assert not state.eligible_to_host
    assert state.missing_for_hosting() == [
        "no police certificate has been shown",
        "the introduction is not completed",
    ]


def test_certificate_and_introduction_make_a_volunteer_eligible_to_host() -> None:
    assert eligible(today=TODAY).eligible_to_host


def test_the_certificate_alone_does_not_make_a_host() -> None:
    state = registered(today=TODAY)
    state = then(
        state,
        volunteer.show_police_certificate(state, shown_on=TODAY, staff_id=STAFF, today=TODAY),
    )
    assert state.missing_for_hosting() == ["the introduction is not completed"]


def test_the_certificate_event_keeps_the_date_and_the_staff_member_only() -> None:
    state = registered(today=TODAY)
    [event] = volunteer.show_police_certificate(state, shown_on=TODAY, staff_id=STAFF, today=TODAY)
    assert set(event.model_dump()) == {"volunteer_id", "shown_on", "staff_id"}


def test_a_renewed_certificate_may_be_shown_but_not_an_older_one() -> None:
    state = eligible(today=TODAY - timedelta(days=200))
    renewed = then(
        state,
        volunteer.show_police_certificate(state, shown_on=TODAY, staff_id=STAFF, today=TODAY),
    )
    assert renewed.certificate_shown_on == TODAY
    with pytest.raises(Conflict, match="already shown"):
        volunteer.show_police_certificate(
            renewed, shown_on=TODAY - timedelta(days=1), staff_id=STAFF, today=TODAY
        )


@pytest.mark.parametrize(
    ("day", "says"),
    [(TODAY + timedelta(days=1), "future"), (TODAY - timedelta(days=367), "past year")],
)
def test_staff_date_what_they_checked_within_the_past_year(day: date, says: str) -> None:
    state = registered(today=TODAY)
    with pytest.raises(RuleViolated, match=says):
        volunteer.show_police_certificate(state, shown_on=day, staff_id=STAFF, today=TODAY)
    with pytest.raises(RuleViolated, match=says):
        volunteer.complete_introduction(state, completed_on=day, staff_id=STAFF, today=TODAY)


def test_the_introduction_is_completed_once() -> None:
    state = eligible(today=TODAY)
    with pytest.raises(Conflict, match="already completed"):
        volunteer.complete_introduction(state, completed_on=TODAY, staff_id=STAFF, today=TODAY)


def test_a_deactivated_volunteer_may_not_host_until_reactivated() -> None:
    state = eligible(today=TODAY)
    state = then(state, volunteer.deactivate(state, staff_id=STAFF))
    assert not state.eligible_to_host
    assert state.missing_for_hosting() == ["the volunteer is deactivated, not active"]
    with pytest.raises(Conflict, match="already deactivated"):
        volunteer.deactivate(state, staff_id=STAFF)
    state = then(state, volunteer.reactivate(state, staff_id=STAFF))
    assert state.eligible_to_host


def test_an_active_volunteer_cannot_be_reactivated() -> None:
    with pytest.raises(Conflict, match="is active"):
        volunteer.reactivate(registered(today=TODAY), staff_id=STAFF)


def test_erasure_says_only_that_the_data_was_erased_and_ends_eligibility() -> None:
    state = eligible(today=TODAY)
    events = volunteer.erase(state)
    assert events == [VolunteerErased(volunteer_id=state.volunteer_id)]
    assert set(events[0].model_dump()) == {"volunteer_id"}
    erased = then(state, events)
    assert not erased.eligible_to_host
    assert not erased.active


def test_an_erased_volunteer_is_gone_for_every_command() -> None:
    state = eligible(today=TODAY)
    erased = then(state, volunteer.erase(state))
    with pytest.raises(Conflict, match="already erased"):
        volunteer.erase(erased)
    with pytest.raises(NotFound, match="erased"):
        volunteer.reactivate(erased, staff_id=STAFF)
    with pytest.raises(NotFound, match="erased"):
        volunteer.show_police_certificate(erased, shown_on=TODAY, staff_id=STAFF, today=TODAY)


def test_a_deactivated_volunteer_can_be_erased() -> None:
    state = registered(today=TODAY)
    state = then(state, volunteer.deactivate(state, staff_id=STAFF))
    assert volunteer.erase(state)


def test_nothing_is_decided_for_an_unknown_volunteer() -> None:
    with pytest.raises(NotFound, match="no such volunteer"):
        volunteer.erase(volunteer.NO_VOLUNTEER)
    with pytest.raises(NotFound, match="no such volunteer"):
        volunteer.deactivate(volunteer.NO_VOLUNTEER, staff_id=STAFF)
