"""A volunteer's registration and standing, on the volunteer's stream (``volunteer-<id>``).

Only what reports and rules need: an age band, the recruitment channel and campaign, whether they
are an upper-secondary (vgs) student, and the dates of what staff checked. Never a name, contact
details or birth year: those stay in the volunteers service's vault, encrypted per person, and
erasure destroys the person's key.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from tvers_contracts.events.volunteers.base import StaffRef, VolunteersEvent


class AgeBand(StrEnum):
    """A volunteer's age in the year they registered, as a band: coarse enough that it does not
    single out one of some fifty volunteers, fine enough to see whether young people come."""

    UNDER_18 = "under_18"
    FROM_18_TO_25 = "18_25"
    FROM_26_TO_66 = "26_66"
    FROM_67 = "67_plus"


class RecruitmentChannel(StrEnum):
    """How a volunteer came: the channels of the annual recruitment campaign, and the rest."""

    MALL_STAND = "mall_stand"
    LOCAL_MEDIA = "local_media"
    FRISKUS = "friskus"
    SOCIAL_MEDIA = "social_media"
    VGS_VISIT = "vgs_visit"
    WORD_OF_MOUTH = "word_of_mouth"
    OTHER = "other"


class VolunteerEvent(VolunteersEvent):
    """Base of the events on a volunteer's stream."""

    aggregate: ClassVar[str] = "volunteer"

    volunteer_id: UUID


class VolunteerRegistered(VolunteerEvent):
    """A volunteer registered. Their name, contact details and birth year went to the vault."""

    age_band: AgeBand = Field(description="Age in the year of registration, from the birth year.")
    vgs_student: bool = Field(description="An upper-secondary (vidaregåande) student.")
    channel: RecruitmentChannel
    campaign_id: UUID | None = Field(description="The recruitment campaign, if one brought them.")


class PoliceCertificateShown(VolunteerEvent):
    """Staff saw the volunteer's police certificate (politiattest). The document itself is never
    stored: only the date it was shown and who saw it."""

    shown_on: dt.date = Field(description="The local (Europe/Oslo) date it was shown.")
    staff_id: StaffRef


class IntroductionCompleted(VolunteerEvent):
    """The volunteer completed the introduction (training) for hosting."""

    completed_on: dt.date = Field(description="The local (Europe/Oslo) date.")
    staff_id: StaffRef


class VolunteerDeactivated(VolunteerEvent):
    """Staff deactivated the volunteer: they can claim no shift until reactivated."""

    staff_id: StaffRef


class VolunteerReactivated(VolunteerEvent):
    """Staff reactivated a deactivated volunteer."""

    staff_id: StaffRef


class VolunteerErased(VolunteerEvent):
    """The person's personal data was erased (their key destroyed): nothing more. Their earlier
    events stay, and their hours still count, under an id that no longer leads to anyone."""
