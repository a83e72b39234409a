"""What the desk page's record form says, read into the help it records, or refused in words.
Pure: no I/O.

The form sends codes only (a site, a department, a category id, a channel, a duration band and
maybe a referral); anything else is refused with what to choose instead (422). Whether the site
and category are known, and the referral goes elsewhere, the domain decides, as for the API.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import status

from tvers_contracts.events.desk import Channel, Department, Duration
from tvers_desk.domain.help_record import NewHelp
from tvers_desk.entrypoints.desk_page import texts
from tvers_runtime.pages.refusals import Words

#: The fields that make a record; the form's other fields (its token and key) are no part of it.
RECORD_FIELDS = ("site", "department", "category", "channel", "duration", "referred_to")
E = TypeVar("E", bound=StrEnum)


class FormRefused(Exception):
    """The form cannot be a record: what to tell the person, in which status."""

    def __init__(
        self, words: Words, status_code: int = status.HTTP_422_UNPROCESSABLE_CONTENT
    ) -> None:
        super().__init__(words.message)
        self.words = words
        self.status_code = status_code


def _code(kind: type[E], value: str, message: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise FormRefused(Words(message)) from None


def read_record(fields: dict[str, str], *, own_site: str | None, sites: Collection[str]) -> NewHelp:
    """The help a form records (``own_site``: the one site a desk records at; None for staff)."""
    site = fields.get("site", "")
    if not site:
        raise FormRefused(Words(texts.CHOOSE_SITE))
    if own_site is not None and site != own_site and site in sites:
        raise FormRefused(Words(texts.OTHER_SITE, {"site": own_site}), status.HTTP_403_FORBIDDEN)
    category = fields.get("category", "")
    if not category:
        raise FormRefused(Words(texts.CHOOSE_CATEGORY))
    referral = fields.get("referred_to", "")
    return NewHelp(
        site=site,
        department=_code(Department, fields.get("department", ""), texts.CHOOSE_DEPARTMENT),
        category_id=category,
        channel=_code(Channel, fields.get("channel", ""), texts.CHOOSE_CHANNEL),
        duration=_code(Duration, fields.get("duration", ""), texts.CHOOSE_DURATION),
        referred_to=_code(Department, referral, texts.CHOOSE_REFERRAL) if referral else None,
    )


def record_body(fields: dict[str, str]) -> bytes:
    """What the idempotency key's fingerprint covers: the record's fields only, so that a record
    kept offline and sent again under a newer form token is still the same request."""
    return urlencode([(name, fields.get(name, "")) for name in RECORD_FIELDS]).encode()
