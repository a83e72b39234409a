"""The decision at the door: let the patron in, or say why not.

For now it follows the branch's schedule and the patron's agreement; the card and PIN check
against the library system (SIP2), age limits and suspensions join it with the access issue.
"""

from __future__ import annotations

from datetime import datetime

from tvers_access.domain.agreement import Agreement
from tvers_access.domain.branch import Branch
from tvers_contracts import DomainEvent
from tvers_contracts.events.access import DenialReason, EntryDenied, EntryGranted
from tvers_contracts.values import OpeningKind


def decide_entry(
    *,
    door_id: str,
    branch: Branch,
    agreement: Agreement,
    patron_ref: str,
    local_time: datetime,
) -> DomainEvent:
    """Granted in staffed hours; in meirope hours only with an agreement in force."""
    assert branch.branch_id is not None
    opening = branch.opening_at(local_time)
    common = {"door_id": door_id, "branch_id": branch.branch_id, "patron_ref": patron_ref}
    if opening is OpeningKind.CLOSED:
        return EntryDenied(**common, opening=opening, reason=DenialReason.OUTSIDE_MEIROPE_HOURS)
    if opening is OpeningKind.MEIROPE:
        if not agreement.signed:
            return EntryDenied(**common, opening=opening, reason=DenialReason.NO_AGREEMENT)
        if agreement.suspended:
            return EntryDenied(**common, opening=opening, reason=DenialReason.SUSPENDED)
    return EntryGranted(**common, opening=opening)
