"""The 14 patron-status flags that open a SIP2 Patron Status Response (24), in wire order."""

from __future__ import annotations

from enum import Enum


class PatronFlag(Enum):
    """One position of the patron-status field. ``Y`` sets it; a blank (space) or ``N`` does
    not. A library system shows a blocked card here, not in BL."""

    CHARGE_PRIVILEGES_DENIED = 0
    RENEWAL_PRIVILEGES_DENIED = 1
    RECALL_PRIVILEGES_DENIED = 2
    HOLD_PRIVILEGES_DENIED = 3
    CARD_REPORTED_LOST = 4
    TOO_MANY_ITEMS_CHARGED = 5
    TOO_MANY_ITEMS_OVERDUE = 6
    TOO_MANY_RENEWALS = 7
    TOO_MANY_CLAIMS_OF_ITEMS_RETURNED = 8
    TOO_MANY_ITEMS_LOST = 9
    EXCESSIVE_OUTSTANDING_FINES = 10
    EXCESSIVE_OUTSTANDING_FEES = 11
    RECALL_OVERDUE = 12
    TOO_MANY_ITEMS_BILLED = 13


FLAG_COUNT = len(PatronFlag)


def flags_set(field: str) -> frozenset[PatronFlag]:
    """The flags a 14-character patron-status field sets (``Y`` or ``y`` sets one)."""
    return frozenset(
        flag for flag in PatronFlag if field[flag.value : flag.value + 1] in ("Y", "y")
    )


def status_field(flags: frozenset[PatronFlag]) -> str:
    """The 14-character field with ``flags`` set and every other position blank."""
    return "".join("Y" if flag in flags else " " for flag in PatronFlag)
