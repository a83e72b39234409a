"""Recruitment campaigns, on the campaign's stream (``campaign-<id>``): a mall stand at Moa Amfi,
a visit to Spjelkavik vgs, a week of posts on social media. Registrations name the campaign that
brought the volunteer (``VolunteerRegistered.campaign_id``), so that reports can count sign-ups
and first shifts per campaign and channel.

A campaign is staff's record of something done in public: a channel, a place and its dates. No
person's data: the place is a short place name, and it refuses what looks like an e-mail address
or a phone number.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints

from tvers_contracts.events.volunteers.base import StaffRef, VolunteersEvent
from tvers_contracts.events.volunteers.people import RecruitmentChannel

#: No control character, no ``@`` (an e-mail address), and at most four digits in all (a postcode
#: or a floor, never a phone number, which has eight).
PLACE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f@0-9]*([0-9][^\x00-\x1f\x7f-\x9f@0-9]*){0,4}$"
#: Format characters a place name may hold: the zero-width (non-)joiners some scripts need.
_JOINERS = frozenset("\u200c\u200d")


def _one_readable_line(place: str) -> str:
    """One line with a letter in it: no line or paragraph separators, no bidi overrides or other
    invisible format characters (which can make a text read as another on a screen)."""
    for char in place:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp") or (category == "Cf" and char not in _JOINERS):
            raise ValueError(
                f"a place may not contain control, separator or format characters "
                f"(U+{ord(char):04X})"
            )
    if not any(unicodedata.category(char).startswith("L") for char in place):
        raise ValueError("a place must contain a letter")
    return place


#: Where a campaign was held, as people say it: ``Moa Amfi``, ``Spjelkavik vgs``.
CampaignPlace = Annotated[
    str,
    StringConstraints(min_length=1, max_length=80, pattern=PLACE_PATTERN),
    AfterValidator(_one_readable_line),
    Field(
        description=(
            "A short place name on one line (up to 80 characters): no e-mail address, no phone "
            "number (at most four digits), no control characters."
        )
    ),
]


class CampaignEvent(VolunteersEvent):
    """Base of the events on a campaign's stream."""

    aggregate: ClassVar[str] = "campaign"

    campaign_id: UUID


class CampaignRecorded(CampaignEvent):
    """Staff recorded a recruitment campaign: its channel, place and dates (both included)."""

    channel: RecruitmentChannel
    place: CampaignPlace
    starts_on: dt.date = Field(description="The first day (Europe/Oslo).")
    ends_on: dt.date = Field(description="The last day as planned, included; not before starts_on.")
    staff_id: StaffRef


class CampaignCorrected(CampaignEvent):
    """Staff corrected a campaign: every field as it now stands, changed or not. A registration
    through the campaign keeps the channel it was registered with in its own event; the
    campaign's channel as corrected is the one to count it under."""

    channel: RecruitmentChannel
    place: CampaignPlace
    starts_on: dt.date = Field(description="The first day (Europe/Oslo).")
    ends_on: dt.date = Field(description="The last day as planned, included; not before starts_on.")
    staff_id: StaffRef


class CampaignEnded(CampaignEvent):
    """Staff ended a campaign before its planned last day. ``ended_on`` is the last day it ran;
    the day before ``starts_on`` means it never ran (called off)."""

    ended_on: dt.date = Field(description="The last day it ran (Europe/Oslo), before ends_on.")
    staff_id: StaffRef
