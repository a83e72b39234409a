"""PB (birth date) on the peer's 24 and 64 replies.

SIP2 2.00 defines no birth date; library systems add PB to their replies (Koha, Bibliofil), and
the door reads it where it comes. pysip2's models are the 2.00 ones, so the peer adds PB as a
layout of its own: a reply model with one more field, registered in the codec's table of
layouts (``MESSAGE_SPECS_BY_TYPE``, which drives pysip2's encoder), after the fields of 2.00.
"""

from __future__ import annotations

from pysip2 import PatronInformationResponse, PatronStatusResponse, SIPResponse
from pysip2.models import MESSAGE_SPECS_BY_TYPE, MessageSpec, ident

BIRTH_DATE = "PB"


class PatronStatusWithBirthDate(PatronStatusResponse, frozen=True, kw_only=True):
    """A 24 with PB (``YYYYMMDD``) where the patron's birth date is known."""

    birth_date: str | None = None


class PatronInformationWithBirthDate(PatronInformationResponse, frozen=True, kw_only=True):
    """A 64 with PB (``YYYYMMDD``) where the patron's birth date is known."""

    birth_date: str | None = None


def _register(extended: type[SIPResponse], base: type[SIPResponse]) -> None:
    spec = MESSAGE_SPECS_BY_TYPE[base]
    fields = (*spec.fields, ident("birth_date", BIRTH_DATE))
    MESSAGE_SPECS_BY_TYPE[extended] = MessageSpec(spec.command_id, extended, fields)


_register(PatronStatusWithBirthDate, PatronStatusResponse)
_register(PatronInformationWithBirthDate, PatronInformationResponse)
