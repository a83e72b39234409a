"""The domain's common refusals in words a volunteer understands (see
:mod:`tvers_runtime.pages.refusals`): the domain speaks English to API callers ("this shift is
full; you may join its waitlist"), the page says it in its own translated words. A unit test
raises each of them through the domain, so a reworded message shows.
"""

from __future__ import annotations

import re

from tvers_runtime.i18n import _
from tvers_runtime.pages.refusals import Refusals, Words
from tvers_runtime.pages.texts import NOT_ALLOWED, NOT_FOUND, NOT_NOW

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
REFUSALS = Refusals(_SAID, _SAID_BY_PATTERN)
words_for = REFUSALS.words_for

__all__ = ["NOT_ALLOWED", "NOT_FOUND", "NOT_NOW", "REFUSALS", "Words", "words_for"]
