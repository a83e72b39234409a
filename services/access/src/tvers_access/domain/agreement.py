"""A patron's meirope agreement, held under the pseudonymous patron reference."""

from __future__ import annotations

from dataclasses import dataclass

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import AgreementSigned
from tvers_runtime.domain import Conflict


@dataclass(frozen=True)
class Agreement:
    """Whether the patron may use meirope hours."""

    signed: bool = False
    guardian_consent: bool = False
    suspended: bool = False


NO_AGREEMENT = Agreement()


def evolve(agreement: Agreement, event: DomainEvent) -> Agreement:
    """The agreement after an event."""
    if isinstance(event, AgreementSigned):
        return Agreement(signed=True, guardian_consent=event.guardian_consent)
    return agreement


def sign(agreement: Agreement, *, patron_ref: str, guardian_consent: bool) -> list[DomainEvent]:
    """Sign the agreement (once)."""
    if agreement.signed:
        raise Conflict("this patron has already signed the meirope agreement")
    return [AgreementSigned(patron_ref=patron_ref, guardian_consent=guardian_consent)]
