"""A volunteer (bibliotekvenn), held under an opaque id: registered, checked by staff (police
certificate shown, introduction completed), deactivated and reactivated, and erased. Pure, no I/O.

Eligible to host = police certificate shown + introduction completed + active (not deactivated,
not erased). The personal data given at registration (name, contact, birth year) goes to the
vault; these rules and the events see only the age band, channel, campaign and vgs status.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    IntroductionCompleted,
    PoliceCertificateShown,
    RecruitmentChannel,
    VolunteerDeactivated,
    VolunteerErased,
    VolunteerReactivated,
    VolunteerRegistered,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_volunteers.domain.age import age_band

#: How far back staff may date what they checked (a certificate shown, an introduction held).
LONGEST_AGO = timedelta(days=366)


class Standing(StrEnum):
    """Where a volunteer stands."""

    NONE = "none"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"
    ERASED = "erased"


@dataclass(frozen=True)
class Volunteer:
    """What the rules need to know of a volunteer."""

    volunteer_id: UUID | None = None
    standing: Standing = Standing.NONE
    vgs_student: bool = False
    certificate_shown_on: date | None = None
    introduction_completed_on: date | None = None

    @property
    def active(self) -> bool:
        """Registered, not deactivated and not erased: may claim shifts."""
        return self.standing is Standing.ACTIVE

    @property
    def eligible_to_host(self) -> bool:
        """Police certificate shown, introduction completed, and active."""
        return not self.missing_for_hosting()

    def missing_for_hosting(self) -> list[str]:
        """What keeps the volunteer from hosting, in words; empty when they may."""
        missing = []
        if not self.active:
            missing.append(f"the volunteer is {self.standing.value}, not active")
        if self.certificate_shown_on is None:
            missing.append("no police certificate has been shown")
        if self.introduction_completed_on is None:
            missing.append("the introduction is not completed")
        return missing


NO_VOLUNTEER = Volunteer()


#: A decision about a volunteer: the events it calls for (or a refusal).
Decide = Callable[[Volunteer], Sequence[DomainEvent]]


def stream(volunteer_id: UUID) -> str:
    """The volunteer's stream id."""
    return f"volunteer-{volunteer_id}"


def evolve(volunteer: Volunteer, event: DomainEvent) -> Volunteer:  # noqa: PLR0911
    """The volunteer after an event."""
    if isinstance(event, VolunteerRegistered):
        return Volunteer(event.volunteer_id, Standing.ACTIVE, vgs_student=event.vgs_student)
    if isinstance(event, PoliceCertificateShown):
        return replace(volunteer, certificate_shown_on=event.shown_on)
    if isinstance(event, IntroductionCompleted):
        return replace(volunteer, introduction_completed_on=event.completed_on)
    if isinstance(event, VolunteerDeactivated):
        return replace(volunteer, standing=Standing.DEACTIVATED)
    if isinstance(event, VolunteerReactivated):
        return replace(volunteer, standing=Standing.ACTIVE)
    if isinstance(event, VolunteerErased):
        return replace(volunteer, standing=Standing.ERASED)
    return volunteer


def register(
    volunteer: Volunteer,
    *,
    volunteer_id: UUID,
    birth_year: int,
    vgs_student: bool,
    channel: RecruitmentChannel,
    campaign_id: UUID | None,
    today: date,
) -> list[DomainEvent]:
    """Register a volunteer. The birth year becomes an age band; it is not in the event."""
    if volunteer.standing is not Standing.NONE:
        raise Conflict("this volunteer is already registered")
    return [
        VolunteerRegistered(
            volunteer_id=volunteer_id,
            age_band=age_band(birth_year, today),
            vgs_student=vgs_student,
            channel=channel,
            campaign_id=campaign_id,
        )
    ]


def show_police_certificate(
    volunteer: Volunteer, *, shown_on: date, staff_id: str, today: date
) -> list[DomainEvent]:
    """Staff saw the police certificate on ``shown_on``. A newer one may be shown later (a
    renewal); the same date again, or an older one, changes nothing and is refused."""
    volunteer_id = _known(volunteer)
    _check_date(shown_on, today, "shown_on")
    if volunteer.certificate_shown_on is not None and shown_on <= volunteer.certificate_shown_on:
        raise Conflict(
            "a police certificate was already shown on "
            f"{volunteer.certificate_shown_on.isoformat()}"
        )
    return [PoliceCertificateShown(volunteer_id=volunteer_id, shown_on=shown_on, staff_id=staff_id)]


def complete_introduction(
    volunteer: Volunteer, *, completed_on: date, staff_id: str, today: date
) -> list[DomainEvent]:
    """The volunteer completed the introduction, once."""
    volunteer_id = _known(volunteer)
    _check_date(completed_on, today, "completed_on")
    if volunteer.introduction_completed_on is not None:
        raise Conflict(
            "the introduction was already completed on "
            f"{volunteer.introduction_completed_on.isoformat()}"
        )
    return [
        IntroductionCompleted(
            volunteer_id=volunteer_id, completed_on=completed_on, staff_id=staff_id
        )
    ]


def deactivate(volunteer: Volunteer, *, staff_id: str) -> list[DomainEvent]:
    """Deactivate an active volunteer."""
    volunteer_id = _known(volunteer)
    if volunteer.standing is Standing.DEACTIVATED:
        raise Conflict("the volunteer is already deactivated")
    return [VolunteerDeactivated(volunteer_id=volunteer_id, staff_id=staff_id)]


def reactivate(volunteer: Volunteer, *, staff_id: str) -> list[DomainEvent]:
    """Reactivate a deactivated volunteer."""
    volunteer_id = _known(volunteer)
    if volunteer.standing is Standing.ACTIVE:
        raise Conflict("the volunteer is active")
    return [VolunteerReactivated(volunteer_id=volunteer_id, staff_id=staff_id)]


def erase(volunteer: Volunteer) -> list[DomainEvent]:
    """Erase the person's data (the vault destroys their key). Active or deactivated alike."""
    if volunteer.standing is Standing.ERASED:
        raise Conflict("this volunteer's data is already erased")
    volunteer_id = _known(volunteer)
    return [VolunteerErased(volunteer_id=volunteer_id)]


def _known(volunteer: Volunteer) -> UUID:
    if volunteer.volunteer_id is None:
        raise NotFound("no such volunteer")
    if volunteer.standing is Standing.ERASED:
        raise NotFound("no such volunteer: their data was erased")
    return volunteer.volunteer_id


def _check_date(day: date, today: date, name: str) -> None:
    if day > today:
        raise RuleViolated(f"{name} cannot lie in the future")
    if today - day > LONGEST_AGO:
        raise RuleViolated(f"{name} must lie within the past year")
