"""A recruitment campaign: a channel, a place and dates, recorded by staff, corrected, and ended
early; and how a registration names the campaign that brought the volunteer. Pure, no I/O.

Dates are Europe/Oslo dates, both included. A campaign runs from ``starts_on`` to its last day:
``ends_on`` as planned, or the day it was ended early (the day before ``starts_on`` if it was
called off before it began).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    CampaignCorrected,
    CampaignEnded,
    CampaignRecorded,
    RecruitmentChannel,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated

#: How far back a campaign may start: last year's campaigns can still be recorded after the fact.
EARLIEST_START = timedelta(days=366)
#: How far ahead a campaign may start: the coming year's, planned now.
LATEST_START = timedelta(days=400)
#: The most days between a campaign's first and last day: a year's listing on Friskus, at most.
LONGEST = timedelta(days=365)


@dataclass(frozen=True)
class Details:
    """What staff say of a campaign: channel, place, first and last day as planned."""

    channel: RecruitmentChannel
    place: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Campaign:
    """A campaign as the rules and the staff's list see it."""

    campaign_id: UUID | None = None
    details: Details | None = None
    ended_on: date | None = None

    @property
    def last_day(self) -> date:
        """The last day the campaign runs: the day it was ended early, or the planned one."""
        details = _recorded(self)
        return self.ended_on if self.ended_on is not None else details.ends_on

    def runs_on(self, day: date) -> bool:
        """Whether the campaign runs on ``day`` (its first and last days included)."""
        return _recorded(self).starts_on <= day <= self.last_day


NO_CAMPAIGN = Campaign()


def stream(campaign_id: UUID) -> str:
    """The campaign's stream id."""
    return f"campaign-{campaign_id}"


def evolve(campaign: Campaign, event: DomainEvent) -> Campaign:
    """The campaign after an event."""
    if isinstance(event, CampaignRecorded | CampaignCorrected):
        details = Details(event.channel, event.place, event.starts_on, event.ends_on)
        return replace(campaign, campaign_id=event.campaign_id, details=details)
    if isinstance(event, CampaignEnded):
        return replace(campaign, ended_on=event.ended_on)
    return campaign


def record(
    campaign: Campaign, *, campaign_id: UUID, details: Details, staff_id: str, today: date
) -> list[DomainEvent]:
    """Record a campaign."""
    if campaign.campaign_id is not None:
        raise Conflict("this campaign is already recorded")
    _check_dates(details, today, previous=None)
    return [
        CampaignRecorded(
            campaign_id=campaign_id,
            channel=details.channel,
            place=details.place,
            starts_on=details.starts_on,
            ends_on=details.ends_on,
            staff_id=staff_id,
        )
    ]


def correct(
    campaign: Campaign, *, details: Details, staff_id: str, today: date
) -> list[DomainEvent]:
    """Correct a campaign's channel, place or dates. The same details again change nothing and
    store nothing. A campaign ended early keeps its end, which must still lie before the
    corrected last day and no earlier than the day before the corrected first day."""
    previous = _recorded(campaign)
    if details == previous:
        return []
    _check_dates(details, today, previous=previous)
    ended_on = campaign.ended_on
    if ended_on is not None and not _may_end_on(details, ended_on):
        raise RuleViolated(
            f"the campaign was ended on {ended_on.isoformat()}: corrected dates must end after "
            "that day and start no later than the day after it"
        )
    assert campaign.campaign_id is not None
    return [
        CampaignCorrected(
            campaign_id=campaign.campaign_id,
            channel=details.channel,
            place=details.place,
            starts_on=details.starts_on,
            ends_on=details.ends_on,
            staff_id=staff_id,
        )
    ]


def end(
    campaign: Campaign, *, ended_on: date | None, staff_id: str, today: date
) -> list[DomainEvent]:
    """End a campaign early, once. ``ended_on`` is its last day; by default today, or the day
    before its first day when it has not begun (it is called off)."""
    details = _recorded(campaign)
    if campaign.ended_on is not None:
        raise Conflict(f"the campaign was already ended on {campaign.ended_on.isoformat()}")
    last = ended_on if ended_on is not None else max(today, details.starts_on - timedelta(days=1))
    if last >= details.ends_on:
        raise RuleViolated(
            f"the campaign ends on {details.ends_on.isoformat()} as planned: an early end lies "
            "before that day"
        )
    if not _may_end_on(details, last):
        raise RuleViolated(
            "a campaign ends no earlier than the day before it starts (which calls it off)"
        )
    assert campaign.campaign_id is not None
    return [CampaignEnded(campaign_id=campaign.campaign_id, ended_on=last, staff_id=staff_id)]


def registration_channel(
    campaign: Campaign, *, channel: RecruitmentChannel | None, today: date
) -> RecruitmentChannel:
    """The channel of a registration through ``campaign``: the campaign's. A channel given with
    it must be the campaign's; a campaign that has not begun cannot have brought anyone yet."""
    details = _recorded(campaign)
    if channel is not None and channel != details.channel:
        raise RuleViolated(
            f"the campaign's channel is {details.channel.value}, not {channel.value}; "
            "leave the channel out to take the campaign's"
        )
    if today < details.starts_on:
        raise RuleViolated(
            f"the campaign starts on {details.starts_on.isoformat()}: "
            "no one can have come through it yet"
        )
    if campaign.last_day < details.starts_on:
        raise RuleViolated("the campaign was called off before it began")
    return details.channel


def _recorded(campaign: Campaign) -> Details:
    if campaign.details is None:
        raise NotFound("no such campaign")
    return campaign.details


def _check_dates(details: Details, today: date, *, previous: Details | None) -> None:
    if details.ends_on < details.starts_on:
        raise RuleViolated("ends_on cannot lie before starts_on")
    if details.ends_on - details.starts_on > LONGEST:
        raise RuleViolated("a campaign lasts a year at most")
    # A correction of the place of an old campaign need not move its start into today's window.
    if previous is not None and details.starts_on == previous.starts_on:
        return
    if details.starts_on < today - EARLIEST_START:
        raise RuleViolated("starts_on must lie within the past year")
    if details.starts_on > today + LATEST_START:
        raise RuleViolated(f"starts_on must lie within {LATEST_START.days} days from today")


def _may_end_on(details: Details, ended_on: date) -> bool:
    """Whether ``ended_on`` is an early end: before the planned last day, and no earlier than
    the day before the first (a campaign called off before it began)."""
    return details.starts_on - timedelta(days=1) <= ended_on < details.ends_on
