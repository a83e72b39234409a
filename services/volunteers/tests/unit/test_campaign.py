"""Recruitment campaigns: staff record a channel, a place and dates within bounds, correct them,
and end a campaign early once; a registration through a campaign takes the campaign's channel."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from tvers_contracts.events.volunteers import (
    CampaignCorrected,
    CampaignEnded,
    CampaignRecorded,
    RecruitmentChannel,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_volunteers.domain import campaign
from tvers_volunteers.domain.campaign import NO_CAMPAIGN, Campaign, Details
from tvers_volunteers.testing.domain import STAFF, fold

TODAY = date(2026, 9, 14)
MOA = Details(RecruitmentChannel.MALL_STAND, "Moa Amfi", TODAY, TODAY + timedelta(days=6))


def recorded(details: Details = MOA, *, today: date = TODAY) -> Campaign:
    events = campaign.record(
        NO_CAMPAIGN, campaign_id=uuid4(), details=details, staff_id=STAFF, today=today
    )
    return fold(NO_CAMPAIGN, events, campaign.evolve)


def ended(state: Campaign, ended_on: date | None = None) -> Campaign:
    events = campaign.end(state, ended_on=ended_on, staff_id=STAFF, today=TODAY)
    return fold(state, events, campaign.evolve)


def test_staff_record_a_campaign_with_its_channel_place_and_dates() -> None:
    campaign_id = uuid4()
    [event] = campaign.record(
        NO_CAMPAIGN, campaign_id=campaign_id, details=MOA, staff_id=STAFF, today=TODAY
    )
    assert event == CampaignRecorded(
        campaign_id=campaign_id,
        channel=RecruitmentChannel.MALL_STAND,
        place="Moa Amfi",
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=6),
        staff_id=STAFF,
    )
    state = fold(NO_CAMPAIGN, [event], campaign.evolve)
    assert (state.campaign_id, state.details, state.last_day) == (campaign_id, MOA, MOA.ends_on)


def test_a_campaign_is_recorded_once() -> None:
    state = recorded()
    with pytest.raises(Conflict):
        campaign.record(state, campaign_id=uuid4(), details=MOA, staff_id=STAFF, today=TODAY)


def test_a_one_day_campaign_runs_on_that_day_only() -> None:
    state = recorded(Details(RecruitmentChannel.VGS_VISIT, "Spjelkavik vgs", TODAY, TODAY))
    assert [state.runs_on(TODAY + timedelta(days=d)) for d in (-1, 0, 1)] == [False, True, False]


@pytest.mark.parametrize(
    ("starts", "ends", "why"),
    [
        pytest.param(3, 2, "before starts_on", id="ends-before-it-starts"),
        pytest.param(0, 366, "a year at most", id="longer-than-a-year"),
        pytest.param(-367, -360, "within the past year", id="started-over-a-year-ago"),
        pytest.param(401, 402, "within 400 days", id="starts-too-far-ahead"),
    ],
)
def test_dates_out_of_order_or_absurdly_far_away_are_refused(
    starts: int, ends: int, why: str
) -> None:
    details = Details(
        RecruitmentChannel.FRISKUS,
        "Friskus",
        TODAY + timedelta(days=starts),
        TODAY + timedelta(days=ends),
    )
    with pytest.raises(RuleViolated, match=why):
        campaign.record(
            NO_CAMPAIGN, campaign_id=uuid4(), details=details, staff_id=STAFF, today=TODAY
        )


def test_the_longest_campaign_and_the_farthest_dates_are_taken() -> None:
    for starts, ends in ((-366, -1), (400, 765), (0, 365)):
        details = Details(
            RecruitmentChannel.FRISKUS,
            "Friskus",
            TODAY + timedelta(days=starts),
            TODAY + timedelta(days=ends),
        )
        assert recorded(details).details == details


def test_a_correction_carries_every_field_as_it_now_stands() -> None:
    state = recorded()
    moved = Details(RecruitmentChannel.MALL_STAND, "Kremmergaarden", MOA.starts_on, MOA.ends_on)
    [event] = campaign.correct(state, details=moved, staff_id=STAFF, today=TODAY)
    assert isinstance(event, CampaignCorrected)
    assert (event.channel, event.place, event.starts_on, event.ends_on) == (
        RecruitmentChannel.MALL_STAND,
        "Kremmergaarden",
        MOA.starts_on,
        MOA.ends_on,
    )
    assert fold(state, [event], campaign.evolve).details == moved


def test_the_same_details_again_correct_nothing() -> None:
    assert campaign.correct(recorded(), details=MOA, staff_id=STAFF, today=TODAY) == []


def test_correcting_an_old_campaigns_place_keeps_its_start_out_of_todays_window() -> None:
    state = recorded()
    later = TODAY + timedelta(days=400)  # the campaign started 400 days before
    details = Details(MOA.channel, "Moa Amfi, inngang vest", MOA.starts_on, MOA.ends_on)
    assert campaign.correct(state, details=details, staff_id=STAFF, today=later)
    moved = Details(MOA.channel, MOA.place, MOA.starts_on + timedelta(days=1), MOA.ends_on)
    with pytest.raises(RuleViolated, match="within the past year"):
        campaign.correct(state, details=moved, staff_id=STAFF, today=later)


def test_a_correction_is_held_to_the_same_date_rules() -> None:
    backwards = Details(MOA.channel, MOA.place, MOA.ends_on, MOA.starts_on)
    with pytest.raises(RuleViolated, match="before starts_on"):
        campaign.correct(recorded(), details=backwards, staff_id=STAFF, today=TODAY)


def test_a_campaign_never_recorded_cannot_be_corrected_or_ended() -> None:
    with pytest.raises(NotFound):
        campaign.correct(NO_CAMPAIGN, details=MOA, staff_id=STAFF, today=TODAY)
    with pytest.raises(NotFound):
        campaign.end(NO_CAMPAIGN, ended_on=None, staff_id=STAFF, today=TODAY)


def test_ending_early_makes_the_last_day_today_by_default() -> None:
    state = recorded()
    [event] = campaign.end(state, ended_on=None, staff_id=STAFF, today=TODAY + timedelta(days=2))
    assert event == CampaignEnded(
        campaign_id=state.campaign_id, ended_on=TODAY + timedelta(days=2), staff_id=STAFF
    )
    after = fold(state, [event], campaign.evolve)
    assert after.last_day == TODAY + timedelta(days=2)
    assert after.runs_on(TODAY + timedelta(days=2))
    assert not after.runs_on(TODAY + timedelta(days=3))


def test_ending_a_campaign_not_yet_begun_calls_it_off() -> None:
    state = recorded(
        Details(MOA.channel, MOA.place, TODAY + timedelta(days=10), TODAY + timedelta(days=12))
    )
    after = ended(state)
    assert after.ended_on == TODAY + timedelta(days=9)
    assert not any(after.runs_on(TODAY + timedelta(days=d)) for d in range(20))


def test_an_end_on_or_after_the_planned_last_day_is_not_early() -> None:
    with pytest.raises(RuleViolated, match="as planned"):
        campaign.end(recorded(), ended_on=MOA.ends_on, staff_id=STAFF, today=TODAY)
    with pytest.raises(RuleViolated, match="as planned"):
        campaign.end(
            recorded(), ended_on=None, staff_id=STAFF, today=MOA.ends_on + timedelta(days=1)
        )


def test_an_end_before_the_day_before_the_start_is_refused() -> None:
    with pytest.raises(RuleViolated, match="day before it starts"):
        campaign.end(recorded(), ended_on=TODAY - timedelta(days=2), staff_id=STAFF, today=TODAY)


def test_a_campaign_is_ended_once() -> None:
    with pytest.raises(Conflict, match="already ended"):
        campaign.end(ended(recorded()), ended_on=None, staff_id=STAFF, today=TODAY)


def test_an_ended_campaign_is_corrected_only_around_its_end() -> None:
    state = ended(recorded(), TODAY + timedelta(days=2))
    place = Details(MOA.channel, "Moa", MOA.starts_on, MOA.ends_on)
    assert campaign.correct(state, details=place, staff_id=STAFF, today=TODAY)
    shorter = Details(MOA.channel, MOA.place, MOA.starts_on, TODAY + timedelta(days=2))
    with pytest.raises(RuleViolated, match="ended on"):
        campaign.correct(state, details=shorter, staff_id=STAFF, today=TODAY)


def test_a_registration_takes_the_campaigns_channel() -> None:
    state = recorded()
    assert campaign.registration_channel(state, channel=None, today=TODAY) is MOA.channel
    given = campaign.registration_channel(state, channel=MOA.channel, today=TODAY)
    assert given is MOA.channel


def test_a_registration_with_another_channel_than_its_campaigns_is_refused() -> None:
    with pytest.raises(RuleViolated, match="channel is mall_stand, not friskus"):
        campaign.registration_channel(recorded(), channel=RecruitmentChannel.FRISKUS, today=TODAY)


def test_no_one_registers_through_a_campaign_not_begun_or_called_off() -> None:
    later = Details(MOA.channel, MOA.place, TODAY + timedelta(days=1), TODAY + timedelta(days=3))
    with pytest.raises(RuleViolated, match="no one can have come"):
        campaign.registration_channel(recorded(later), channel=None, today=TODAY)
    called_off = ended(recorded(later))
    with pytest.raises(RuleViolated, match="called off"):
        campaign.registration_channel(called_off, channel=None, today=later.ends_on)


def test_a_registration_after_a_campaign_ended_still_comes_through_it() -> None:
    state = ended(recorded(), TODAY)
    later = TODAY + timedelta(days=30)
    assert campaign.registration_channel(state, channel=None, today=later) is MOA.channel


def test_no_one_registers_through_a_campaign_never_recorded() -> None:
    with pytest.raises(NotFound):
        campaign.registration_channel(NO_CAMPAIGN, channel=None, today=TODAY)
