"""A refusal of the domain in words a volunteer understands, in their language.

The domain speaks English to API callers (``"this shift is full; you may join its waitlist"``).
The page says the common refusals in its own translated words, matched on the domain's message
(a unit test raises each of them through the domain, so a reworded message is caught); any other
refusal gets a translated line for its kind, followed by the domain's own English words, marked
as English for screen readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from tvers_contracts.schedule import OSLO
from tvers_runtime.domain import Conflict, DomainError, NotFound
from tvers_runtime.i18n import Locale, _, local_datetime


@dataclass(frozen=True)
class Words:
    """What to tell the volunteer: a marked message with its values, and, when the message is
    only a generic line, the domain's own (English) words."""

    message: str
    values: Mapping[str, str] = field(default_factory=dict)
    detail: str | None = None

    def text(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of ``gettext``."""
        return gettext(self.message).format(**self.values)


_SAID: dict[str, str] = {
    "this shift is full; you may join its waitlist": _("The shift is full."),
    "you have already claimed this shift": _("You already have this shift."),
    "you already hold a place on this shift": _("You already have this shift."),
    "this shift is over": _("The shift is over."),
    "you hold no place on this shift": _("You do not have this shift."),
    "you hold no place on this shift; claim it first": _("You do not have this shift."),
    "this shift has started; ask staff if you cannot stay": _(
        "The shift has started, so you cannot give it up here. Tell the volunteer centre if "
        "you cannot stay."
    ),
    "this shift has started": _("The shift has started."),
    "you are already on this shift's waitlist": _("You are already on the waitlist."),
    "this shift has a free place: claim it": _("The shift has a free place: take it instead."),
    "you are not on this shift's waitlist": _("You are not on the waitlist."),
    "this volunteer is deactivated; staff can reactivate them": _(
        "You are not active as a library friend just now. Ask the volunteer centre."
    ),
    "you have already checked in on this shift": _("You have already checked in."),
    "this shift is over; ask staff to correct your hours": _(
        "The shift is over, so check-in is closed. Ask the volunteer centre to enter your hours."
    ),
    "you are not checked in on this shift": _("You are not checked in."),
    "this shift was cancelled": _("The shift was cancelled."),
    "this shift is only proposed; staff have not published it yet": _("The shift is not open yet."),
    "no such shift": _("We cannot find that shift."),
    "no such shift: the proposal was withdrawn": _("We cannot find that shift."),
    "a period cannot end before it starts": _("The period cannot end before it starts."),
    "a period cannot end after today": _("The period cannot end after today."),
}
_SAID_BY_PATTERN: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^check-in opens at (?P<moment>\d{4}-\d\d-\d\d \d\d:\d\d)$"),
        _("Check-in opens {moment}."),
    ),
    (
        re.compile(r"^check-out closed at "),
        _("Check-out is closed; your check-out is set to the end of the shift."),
    ),
    (
        re.compile(r"^you already hold a shift from .* that overlaps this one$"),
        _("You already have another shift at the same time."),
    ),
    (
        re.compile(r"^only eligible volunteers may host: "),
        _(
            "Only library friends who have shown a police certificate and completed the "
            "introduction can host. Ask the volunteer centre."
        ),
    ),
    (
        re.compile(r"^no hours were served from "),
        _("You have no hours in that period, so there is nothing to put on a certificate."),
    ),
    (re.compile(r"^this shift's waitlist is full "), _("The waitlist is full.")),
    (
        re.compile(r"^a period is at most \d+ years long$"),
        _("A certificate covers at most five years."),
    ),
]
NOT_FOUND = _("We could not find what you asked for.")
NOT_NOW = _("That could not be done just now.")
NOT_ALLOWED = _("That is not allowed.")


def words_for(error: DomainError, locale: Locale) -> Words:
    """What to tell the volunteer about a refusal, in ``locale`` (for the moments it names)."""
    said = _SAID.get(error.message)
    if said is not None:
        return Words(said)
    for pattern, message in _SAID_BY_PATTERN:
        found = pattern.match(error.message)
        if found is not None:
            return Words(message, _moments(found.groupdict(), locale))
    if isinstance(error, NotFound):
        return Words(NOT_FOUND, detail=error.message)
    if isinstance(error, Conflict):
        return Words(NOT_NOW, detail=error.message)
    return Words(NOT_ALLOWED, detail=error.message)


def _moments(values: dict[str, str], locale: Locale) -> dict[str, str]:
    """The domain writes moments as ``2026-12-03 17:30`` in Oslo time: said the locale's way."""
    return {
        name: local_datetime(
            datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=OSLO),
            locale,
            form="short",
        )
        for name, value in values.items()
    }
