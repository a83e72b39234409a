"""What the library system (the ILS, over SIP2) says about a card and PIN.

The door decision needs four facts, whatever system answers: is the card known, is the PIN right,
is the card blocked, and when was the patron born (if the system says). The SIP2 adapter reads
them from a Patron Status Response (24); the domain never sees SIP2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class PatronStatus:
    """The library system's answer for one card and PIN."""

    #: BL: the card belongs to a patron of the library.
    known: bool
    #: CQ: the PIN is right. Some systems send BL N with CQ N for a wrong PIN of a known card.
    pin_valid: bool
    #: Any of the denial flags of the 14 patron-status flags (charge, renewal, recall, hold
    #: privileges denied, card reported lost, too many items ...): a blocked card shows there.
    blocked: bool = False
    #: PB, where the system sends it.
    birth_date: date | None = None


class LibrarySystemUnreachable(Exception):
    """The library system did not answer in time, or could not be reached at all."""


class LibrarySystem(Protocol):
    """The port the door decision asks; the SIP2 client is its adapter."""

    async def patron_status(self, card_number: str, pin: str) -> PatronStatus:
        """The status of a card and PIN, or :class:`LibrarySystemUnreachable`."""
        ...
