"""Reading the library system's replies: Login Response (94), Patron Status Response (24) and
Request SC Resend (96).

Library systems differ, and each difference is accepted here: replies end with CR or with CR LF
(Koha by default); identified fields come in any order, so they are read by tag; blank status
flags are spaces, not ``N``; the checksum is verified where a reply carries one and not required
where it does not. A reply that cannot be read raises :class:`MalformedReply`, whose message says
what was wrong and never quotes the reply (it holds the card number).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from pysip2 import verify_checksum

from tvers_access.adapters.sip2.flags import FLAG_COUNT, PatronFlag, flags_set
from tvers_access.domain.patron import PatronStatus

LOGIN_RESPONSE = "94"
PATRON_STATUS_RESPONSE = "24"
RESEND = "96"
#: The fixed-length fields after the command identifier: 94 has "ok"; 24 has the 14 status
#: flags, the language (3) and the transaction date (18); 96 has none.
FIXED_WIDTH = {LOGIN_RESPONSE: 1, PATRON_STATUS_RESPONSE: FLAG_COUNT + 3 + 18, RESEND: 0}
_CHECKSUM = re.compile(rb"AZ[0-9A-Fa-f]{4}$")
_SEQUENCE = re.compile(rb"\|?AY([0-9])$")


class MalformedReply(Exception):
    """A reply that is not a SIP2 message the door can read."""


class ChecksumMismatch(MalformedReply):
    """A reply whose ``AZ`` checksum does not match its bytes (damaged on the way)."""


@dataclass(frozen=True)
class Reply:
    """One reply, split into its command, fixed part and identified fields."""

    command: str
    sequence: int | None
    fixed: str = field(repr=False)
    #: Identified fields by tag, each with every value it came with, in order. Holds the card
    #: number (AA), so it is kept out of the representation.
    fields: Mapping[str, tuple[str, ...]] = field(repr=False)

    def first(self, tag: str) -> str | None:
        """The first value of a field, or ``None`` if the reply does not carry it."""
        values = self.fields.get(tag)
        return values[0] if values else None


def parse_reply(frame: bytes, *, encoding: str) -> Reply:
    """Read one reply frame, with or without its CR or CR LF terminator."""
    body = frame.lstrip(b"\n").removesuffix(b"\n").removesuffix(b"\r")
    if b"\r" in body:
        raise MalformedReply("the reply holds a carriage return inside it")
    sequence = None
    if _CHECKSUM.search(body):
        if not verify_checksum(body):
            raise ChecksumMismatch("the reply's checksum does not match its content")
        body = body[:-6]
        if found := _SEQUENCE.search(body):
            sequence = int(found.group(1))
            body = body[: found.start()]
    text = body.decode(encoding, errors="replace")
    command = text[:2]
    width = FIXED_WIDTH.get(command)
    if width is None:
        shown = command if command.isdigit() else "an unreadable one"
        raise MalformedReply(f"unexpected reply command: {shown}")
    if len(text) < 2 + width:
        raise MalformedReply(f"the {command} reply is shorter than its fixed fields")
    return Reply(command, sequence, text[2 : 2 + width], _fields(text[2 + width :], command))


def _fields(text: str, command: str) -> Mapping[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for piece in text.split("|"):
        if not piece.strip():
            continue  # a trailing delimiter, or none after the last field
        if len(piece) < 2:
            raise MalformedReply(f"the {command} reply has a field without a tag")
        found.setdefault(piece[:2], []).append(piece[2:])
    return {tag: tuple(values) for tag, values in found.items()}


def login_accepted(reply: Reply) -> bool:
    """Whether a 94 says the login was accepted (``1``)."""
    return reply.fixed == "1"


def patron_status(reply: Reply) -> PatronStatus:
    """The door's four facts from a 24.

    A wrong PIN comes back as BL Y with CQ N from some systems, and as BL N with CQ N from
    others, where nothing tells it from an unknown card: BL decides whether the card is known,
    and CQ counts only for a known card. A system that leaves out BL is taken at CQ (a PIN can
    only be right for a card it knows); one that leaves out CQ has not confirmed the PIN, and
    the door fails closed.
    """
    valid_patron = _yes_no(reply.first("BL"))
    valid_pin = _yes_no(reply.first("CQ"))
    known = valid_patron if valid_patron is not None else bool(valid_pin)
    return PatronStatus(
        known=known,
        pin_valid=known and bool(valid_pin),
        blocked=bool(flags(reply)),
        birth_date=birth_date(reply.first("PB")),
    )


def flags(reply: Reply) -> frozenset[PatronFlag]:
    """The patron-status flags a 24 sets."""
    return flags_set(reply.fixed[:FLAG_COUNT])


def _yes_no(value: str | None) -> bool | None:
    if value is None or not value.strip():
        return None
    return value.strip().upper() == "Y"


_BIRTH_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),  # YYYYMMDD, also a SIP2 18-char date
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),  # ISO 8601, maybe with a time
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),  # Norwegian DD.MM.YYYY
)


def birth_date(value: str | None) -> date | None:
    """PB read leniently: ``YYYYMMDD`` (alone or as an 18-character SIP2 date), ISO 8601 or
    ``DD.MM.YYYY``. A PB that is blank, or no date in one of these, counts as missing, and the
    door takes the age from the agreement. Slashed dates are not read: 03/04/2012 is March in
    one country and April in another."""
    if value is None:
        return None
    for pattern in _BIRTH_DATE_FORMATS:
        if found := pattern.match(value.strip()):
            try:
                return date(int(found["y"]), int(found["m"]), int(found["d"]))
            except ValueError:
                return None
    return None
