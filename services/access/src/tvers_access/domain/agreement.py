"""A patron's meirope agreement, held under the patron's stable agreement reference.

It is signed (with a guardian's consent and the guardian's reference for a child), can be
suspended by staff with a reason from a closed list, restored, and withdrawn. A withdrawn
agreement can be signed anew.

When the root patron key is rotated (decision 0051), an agreement found only under the previous
key's reference is *moved*: the old stream records where it went (``AgreementMoved``) and the
new one starts from how it stood (``AgreementRekeyed``). Both are decided so that doing it twice
stores nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    AgreementMoved,
    AgreementRekeyed,
    AgreementRestored,
    AgreementSigned,
    AgreementStanding,
    AgreementSuspended,
    AgreementWithdrawn,
    SuspensionReason,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated


class Standing(StrEnum):
    """Where an agreement stands."""

    NONE = "none"
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Agreement:
    """What the door decision needs to know of a patron's agreement."""

    standing: Standing = Standing.NONE
    guardian_consent: bool = False
    birth_date: date | None = None
    guardian_ref: str | None = None
    suspension: SuspensionReason | None = None
    #: The current key's reference this agreement was moved to (on the previous key's stream).
    moved_to: str | None = None

    @property
    def signed(self) -> bool:
        """Signed and not withdrawn (it may be suspended)."""
        return self.standing in (Standing.IN_FORCE, Standing.SUSPENDED)

    @property
    def suspended(self) -> bool:
        """Suspended by staff."""
        return self.standing is Standing.SUSPENDED


NO_AGREEMENT = Agreement()


def evolve(agreement: Agreement, event: DomainEvent) -> Agreement:
    """The agreement after an event."""
    if isinstance(event, AgreementMoved | AgreementRekeyed):
        return _carried_over(agreement, event)
    if isinstance(event, AgreementSigned):
        return Agreement(
            standing=Standing.IN_FORCE,
            guardian_consent=event.guardian_consent,
            birth_date=event.birth_date,
            guardian_ref=event.guardian_ref,
        )
    if isinstance(event, AgreementSuspended):
        return replace(agreement, standing=Standing.SUSPENDED, suspension=event.reason)
    if isinstance(event, AgreementRestored):
        return replace(agreement, standing=Standing.IN_FORCE, suspension=None)
    if isinstance(event, AgreementWithdrawn):
        return replace(agreement, standing=Standing.WITHDRAWN, suspension=None)
    return agreement


def _carried_over(agreement: Agreement, event: AgreementMoved | AgreementRekeyed) -> Agreement:
    if isinstance(event, AgreementMoved):
        return replace(agreement, moved_to=event.new_ref)
    return Agreement(
        standing=Standing(event.standing.value),
        guardian_consent=event.guardian_consent,
        birth_date=event.birth_date,
        guardian_ref=event.guardian_ref,
        suspension=event.suspension,
    )


def move(agreement: Agreement, *, patron_ref: str, new_ref: str) -> list[DomainEvent]:
    """Record on the previous key's stream that the agreement goes on under ``new_ref``
    (nothing if that is recorded already)."""
    if agreement.standing is Standing.NONE:
        raise NotFound("this patron has no meirope agreement under the previous key")
    if agreement.moved_to == new_ref:
        return []
    return [AgreementMoved(patron_ref=patron_ref, new_ref=new_ref)]


def rekey(
    current: Agreement, previous: Agreement, *, patron_ref: str, previous_ref: str
) -> list[DomainEvent]:
    """Start the current key's stream from the agreement as it stood under the previous key
    (nothing if the current stream has an agreement already: a door that raced this one, or a
    repeated request, carried it over first)."""
    if current.standing is not Standing.NONE or previous.standing is Standing.NONE:
        return []
    return [
        AgreementRekeyed(
            patron_ref=patron_ref,
            previous_ref=previous_ref,
            standing=AgreementStanding(previous.standing.value),
            guardian_consent=previous.guardian_consent,
            birth_date=previous.birth_date,
            guardian_ref=previous.guardian_ref,
            suspension=previous.suspension,
        )
    ]


def sign(
    agreement: Agreement,
    *,
    patron_ref: str,
    guardian_consent: bool,
    birth_date: date | None = None,
    guardian_ref: str | None = None,
    today: date,
) -> list[DomainEvent]:
    """Sign the agreement: once, or again after it was withdrawn."""
    if agreement.signed:
        raise Conflict("this patron has already signed the meirope agreement")
    if birth_date is not None and not (date(today.year - 120, 1, 1) <= birth_date <= today):
        raise RuleViolated("birth_date must lie in the past 120 years")
    if guardian_ref is not None and not guardian_consent:
        raise RuleViolated("a guardian is linked only with the guardian's consent")
    if guardian_ref == patron_ref:
        raise RuleViolated("a patron cannot be their own guardian")
    return [
        AgreementSigned(
            patron_ref=patron_ref,
            guardian_consent=guardian_consent,
            birth_date=birth_date,
            guardian_ref=guardian_ref,
        )
    ]


def suspend(
    agreement: Agreement, *, patron_ref: str, reason: SuspensionReason
) -> list[DomainEvent]:
    """Suspend an agreement in force."""
    _must_be_signed(agreement)
    if agreement.suspended:
        raise Conflict("the agreement is already suspended")
    return [AgreementSuspended(patron_ref=patron_ref, reason=reason)]


def restore(agreement: Agreement, *, patron_ref: str) -> list[DomainEvent]:
    """Lift a suspension."""
    _must_be_signed(agreement)
    if not agreement.suspended:
        raise Conflict("the agreement is not suspended")
    return [AgreementRestored(patron_ref=patron_ref)]


def withdraw(agreement: Agreement, *, patron_ref: str) -> list[DomainEvent]:
    """End the agreement."""
    _must_be_signed(agreement)
    return [AgreementWithdrawn(patron_ref=patron_ref)]


def _must_be_signed(agreement: Agreement) -> None:
    if not agreement.signed:
        raise NotFound("this patron has no meirope agreement")
