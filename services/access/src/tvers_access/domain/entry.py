"""The decision at the door: let the patron in, or say why not.

In staffed hours the door lets everyone in, and when the branch is closed nobody. In meirope
hours, in this order:

1. the library system's answer: unknown card, wrong PIN, blocked card; if the system cannot be
   asked, the branch's policy decides: fail closed (the default), or go on with the agreement alone;
2. the agreement: none (or withdrawn), suspended;
3. the age, from the library system's birth date or else the agreement's: below the branch's
   meirope age the agreement needs a guardian's consent; below its unaccompanied age the patron
   comes in only within the guardian window after the linked guardian's entry at the same door.

A patron whose age nobody knows is taken as staff found it when they signed the agreement: old
enough (staff check the age when signing; see docs/decisions/0014-the-door-decision.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tvers_access.domain.agreement import Agreement
from tvers_access.domain.branch import Branch
from tvers_access.domain.patron import PatronStatus
from tvers_contracts.events.access import (
    DenialReason,
    EntryDenied,
    EntryGranted,
    UnreachablePolicy,
)
from tvers_contracts.values import OpeningKind


class Unreachable:
    """The library system was asked and gave no answer."""


UNREACHABLE = Unreachable()
#: What the library system said: an answer, no answer, or ``None`` when it was not asked (it is
#: asked only in meirope hours).
LibraryAnswer = PatronStatus | Unreachable | None


@dataclass(frozen=True)
class Decision:
    """The event to record, and whether a child was refused for want of a guardian."""

    event: EntryGranted | EntryDenied
    needs_guardian: bool = False

    @property
    def granted(self) -> bool:
        """Whether the door opens."""
        return isinstance(self.event, EntryGranted)


def needs_library_check(branch: Branch, local_time: datetime) -> bool:
    """Whether the decision at this moment asks the library system (meirope hours only)."""
    return branch.opening_at(local_time) is OpeningKind.MEIROPE


def decide_entry(
    *,
    door_id: str,
    branch: Branch,
    agreement: Agreement,
    patron_ref: str,
    local_time: datetime,
    library: LibraryAnswer,
    guardian_entries: Sequence[datetime] = (),
) -> Decision:
    """Granted or denied, with the reason. ``guardian_entries`` are the moments the patron's
    linked guardian was let in at this door (the application looks them up)."""
    assert branch.branch_id is not None
    opening = branch.opening_at(local_time)
    common = {"door_id": door_id, "branch_id": branch.branch_id, "patron_ref": patron_ref}
    if opening is OpeningKind.STAFFED:
        return Decision(EntryGranted(**common, opening=opening, verified=False))
    refusal = (
        Refusal(DenialReason.OUTSIDE_MEIROPE_HOURS)
        if opening is OpeningKind.CLOSED
        else _library_refusal(branch, library)
        or _agreement_refusal(agreement)
        or _age_refusal(branch, agreement, library, local_time, guardian_entries)
    )
    if refusal is not None:
        denied = EntryDenied(**common, opening=opening, reason=refusal.reason)
        return Decision(denied, refusal.needs_guardian)
    verified = not isinstance(library, Unreachable)
    return Decision(EntryGranted(**common, opening=opening, verified=verified))


@dataclass(frozen=True)
class Refusal:
    """Why the door stays shut."""

    reason: DenialReason
    needs_guardian: bool = False


def _library_refusal(branch: Branch, library: LibraryAnswer) -> Refusal | None:
    if library is None:
        raise ValueError("in meirope hours the library system must be asked")
    if isinstance(library, Unreachable):
        if branch.rules.when_unreachable is UnreachablePolicy.FAIL_CLOSED:
            return Refusal(DenialReason.LIBRARY_SYSTEM_UNREACHABLE)
        return None
    if not library.known:
        return Refusal(DenialReason.UNKNOWN_CARD)
    if not library.pin_valid:
        return Refusal(DenialReason.WRONG_PIN)
    if library.blocked:
        return Refusal(DenialReason.BLOCKED_CARD)
    return None


def _agreement_refusal(agreement: Agreement) -> Refusal | None:
    if not agreement.signed:
        return Refusal(DenialReason.NO_AGREEMENT)
    if agreement.suspended:
        return Refusal(DenialReason.SUSPENDED)
    return None


def _age_refusal(
    branch: Branch,
    agreement: Agreement,
    library: LibraryAnswer,
    local_time: datetime,
    guardian_entries: Sequence[datetime],
) -> Refusal | None:
    from_library = library.birth_date if isinstance(library, PatronStatus) else None
    birth_date = from_library or agreement.birth_date
    if birth_date is None:
        return None
    age, rules = age_on(birth_date, local_time.date()), branch.rules
    if age < rules.meirope_min_age and not agreement.guardian_consent:
        return Refusal(DenialReason.UNDER_AGE)
    guardian_just_went_in = any(
        timedelta(0) <= local_time - entered <= rules.guardian_window
        for entered in guardian_entries
    )
    if age < rules.unaccompanied_min_age and not guardian_just_went_in:
        return Refusal(DenialReason.UNDER_AGE, needs_guardian=True)
    return None


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on ``day`` (someone born on 29 February turns a year older on
    1 March in years without one)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)
