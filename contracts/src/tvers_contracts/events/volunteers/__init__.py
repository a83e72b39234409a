"""Events owned by ``volunteers``: bibliotekvenn volunteers and their shifts. No personal data
ever: volunteers are opaque ids here, and their names and contact details stay in the volunteers
service's vault.

- :mod:`.people`: a volunteer's registration and standing (stream ``volunteer-<id>``);
- :mod:`.certificates`: certificates (*attest*) of the hours served (``volunteer-<id>``);
- :mod:`.shifts`: a shift's publishing, claims, waitlist and reminders (``shift-<id>``);
- :mod:`.attendance`: check-in, check-out, no-shows and corrections (``shift-<id>``);
- :mod:`.coverage`: a branch's hosting rule (``hosting-rule-<tenant>-<branch_id>``) and its
  staffless hours short of hosts (``coverage-<tenant>-<branch_id>``);
- :mod:`.campaigns`: recruitment campaigns (``campaign-<id>``);
- :mod:`.v1`: older versions and their upcasters.
"""

from __future__ import annotations

from tvers_contracts.event import DomainEvent
from tvers_contracts.events.volunteers.attendance import (
    AttendanceCorrected,
    CorrectionReason,
    NoShowRecorded,
    PresentHost,
    ShiftAttendanceEvent,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
)
from tvers_contracts.events.volunteers.base import (
    MOST_HOSTS,
    MOST_WAITING,
    ShiftRole,
    StaffRef,
    VolunteersEvent,
)
from tvers_contracts.events.volunteers.campaigns import (
    CampaignCorrected,
    CampaignEnded,
    CampaignEvent,
    CampaignPlace,
    CampaignRecorded,
)
from tvers_contracts.events.volunteers.certificates import CertificateIssued, CertificateLocale
from tvers_contracts.events.volunteers.coverage import HostingRuleSet, HostsBelowMinimumFlagged
from tvers_contracts.events.volunteers.people import (
    AgeBand,
    IntroductionCompleted,
    PoliceCertificateShown,
    RecruitmentChannel,
    VolunteerDeactivated,
    VolunteerErased,
    VolunteerEvent,
    VolunteerReactivated,
    VolunteerRegistered,
)
from tvers_contracts.events.volunteers.shifts import (
    HostingRuleApplied,
    PromotedFromWaitlist,
    ShiftCancelled,
    ShiftClaimed,
    ShiftEvent,
    ShiftPlaceEvent,
    ShiftProposalWithdrawn,
    ShiftProposed,
    ShiftPublished,
    ShiftReleased,
    ShiftReminderIssued,
    WaitlistJoined,
    WaitlistLeft,
    WithdrawalReason,
)

VOLUNTEERS_EVENTS: tuple[type[DomainEvent], ...] = (
    ShiftPublished,
    ShiftClaimed,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
    VolunteerRegistered,
    PoliceCertificateShown,
    IntroductionCompleted,
    VolunteerDeactivated,
    VolunteerReactivated,
    VolunteerErased,
    ShiftProposed,
    ShiftProposalWithdrawn,
    ShiftCancelled,
    ShiftReleased,
    PromotedFromWaitlist,
    WaitlistJoined,
    WaitlistLeft,
    ShiftReminderIssued,
    NoShowRecorded,
    AttendanceCorrected,
    HostsBelowMinimumFlagged,
    HostingRuleSet,
    CertificateIssued,
    CampaignRecorded,
    CampaignCorrected,
    CampaignEnded,
)

__all__ = [
    "MOST_HOSTS",
    "MOST_WAITING",
    "VOLUNTEERS_EVENTS",
    "AgeBand",
    "AttendanceCorrected",
    "CampaignCorrected",
    "CampaignEnded",
    "CampaignEvent",
    "CampaignPlace",
    "CampaignRecorded",
    "CertificateIssued",
    "CertificateLocale",
    "CorrectionReason",
    "HostingRuleApplied",
    "HostingRuleSet",
    "HostsBelowMinimumFlagged",
    "IntroductionCompleted",
    "NoShowRecorded",
    "PoliceCertificateShown",
    "PresentHost",
    "PromotedFromWaitlist",
    "RecruitmentChannel",
    "ShiftAttendanceEvent",
    "ShiftCancelled",
    "ShiftClaimed",
    "ShiftEvent",
    "ShiftPlaceEvent",
    "ShiftProposalWithdrawn",
    "ShiftProposed",
    "ShiftPublished",
    "ShiftReleased",
    "ShiftReminderIssued",
    "ShiftRole",
    "StaffRef",
    "VolunteerCheckedIn",
    "VolunteerCheckedOut",
    "VolunteerDeactivated",
    "VolunteerErased",
    "VolunteerEvent",
    "VolunteerReactivated",
    "VolunteerRegistered",
    "VolunteersEvent",
    "WaitlistJoined",
    "WaitlistLeft",
    "WithdrawalReason",
]
