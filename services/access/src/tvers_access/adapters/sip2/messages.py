"""The requests the door sends to the library system: Login (93) and Patron Status (23), SIP2 2.00.

pysip2's models and codec lay out each message's body and refuse what a frame cannot carry (a
field delimiter or a carriage return inside a value, a date of the wrong shape); this module adds
the error-detection trailer, ``AY<sequence>AZ<checksum>``, with the sequence number of the
connection that sends it. A request's body holds the card number and PIN, so it is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import msgspec
from pysip2 import (
    LoginRequest,
    PatronStatusRequest,
    RequestACSResend,
    SIP2CodecError,
    SIPRequest,
    calculate_checksum,
    encode_message,
)

#: The language of screen messages: 000 is "unknown" (the library system's default); the door
#: reads no screen message.
LANGUAGE = "000"
#: How the 93 sends the login user and password: "0" is plain text, the only algorithm in use.
PLAIN = "0"
#: Characters no value may hold: the field delimiter and both line ends (a CR ends a frame, and
#: a library system that ends lines with CR LF would read an LF as the start of the next one).
FORBIDDEN = frozenset("|\r\n")


class UnsendableValue(ValueError):
    """A value a SIP2 frame cannot carry. The message names the field, never the value."""


@dataclass(frozen=True)
class Request:
    """A request's body, ready to be framed with a connection's next sequence number."""

    #: The reply's command identifier: 94 for a 93, 24 for a 23.
    answered_by: str
    #: The message without its trailer and terminator. It holds the card number, the PIN or the
    #: login password, so it is kept out of the representation.
    body: bytes = field(repr=False)

    def frame(self, sequence: int) -> bytes:
        """The whole frame: body, ``AY`` sequence (0-9), ``AZ`` checksum and the CR."""
        prefix = self.body + b"AY" + str(sequence % 10).encode("ascii") + b"AZ"
        return prefix + calculate_checksum(prefix).encode("ascii") + b"\r"


def transaction_date(moment: datetime) -> str:
    """The 18-character SIP2 date, ``YYYYMMDD    HHMMSS``: blank zone means the local time,
    which ``moment`` already is."""
    return moment.strftime("%Y%m%d") + "    " + moment.strftime("%H%M%S")


def login_request(user: str, password: str, location: str | None, *, encoding: str) -> Request:
    """93 Login: the door's account at the library system (CN, CO, and CP where configured)."""
    message = LoginRequest(
        uid_algorithm=PLAIN,
        pwd_algorithm=PLAIN,
        login_user_id=_checked("login user (CN)", user),
        login_password=_checked("login password (CO)", password),
        location_code=_checked("location code (CP)", location) if location else None,
    )
    return Request("94", _body(message, encoding))


def patron_status_request(
    *,
    institution_id: str,
    card_number: str,
    pin: str,
    terminal_password: str,
    at: datetime,
    encoding: str,
) -> Request:
    """23 Patron Status Request, 2.00: AO institution, AA patron, AC terminal password and AD
    PIN, the last two always present, even when empty (a 23 without them is refused)."""
    message = PatronStatusRequest(
        language=LANGUAGE,
        transaction_date=transaction_date(at),
        institution_id=_checked("institution id (AO)", institution_id),
        patron_identifier=_checked("card number (AA)", card_number),
        terminal_password=_checked("terminal password (AC)", terminal_password),
        patron_password=_checked("PIN (AD)", pin),
    )
    return Request("24", _body(message, encoding))


def resend_request() -> bytes:
    """97 Request ACS Resend: asks for the last reply again (sent when its checksum was wrong)."""
    return encode_message(RequestACSResend(), checksum=True)


def _checked(name: str, value: str) -> str:
    if FORBIDDEN.intersection(value):
        raise UnsendableValue(f"the {name} holds a character SIP2 cannot carry")
    return value


def _body(message: SIPRequest, encoding: str) -> bytes:
    try:
        frame = encode_message(message, encoding=encoding)
    except (SIP2CodecError, UnicodeEncodeError, msgspec.ValidationError):
        # The causes quote the offending character or field; a card number must not follow.
        raise UnsendableValue(f"a {type(message).__name__} field cannot be carried") from None
    return frame.removesuffix(b"\r")
