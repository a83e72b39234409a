"""The visits domain's common refusals (class visits, deposits, the resource bank) in words a
teacher or school librarian understands (see
:mod:`tvers_runtime.pages.refusals`): the domain speaks English to API callers ("alesund-sentrum
hosts another class visit then (...) and takes one at a time"), the page says it in its own
translated words. A unit test raises each of them through the domain, so a reworded message
shows.
"""

from __future__ import annotations

import re

from tvers_runtime.i18n import _
from tvers_runtime.pages.refusals import Refusals
from tvers_visits.entrypoints.school_page.texts import CHOOSE_A_TIME

_SAID: dict[str, str] = {
    "a visit is booked ahead of its time; record a visit already held as held instead": _(
        "That time has passed. Choose a later one."
    ),
    "this visit is cancelled; it cannot be cancelled": _("The visit is already cancelled."),
    "a visit lasts from 15 minutes to 8 hours, and ends after it starts": CHOOSE_A_TIME,
    "a visit begins and ends on the same day": CHOOSE_A_TIME,
    # Deposits.
    "this deposit is already cancelled": _("The deposit is already cancelled."),
    # The resource bank.
    "a page needs a title": _("Give the page a title."),
    "a title is one line, without control, line-separator or invisible format characters "
    "(such as direction overrides)": _("Write the title on one line."),
    "a page needs some text": _("Write some text on the page."),
}
_SAID_BY_PATTERN: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^\S+ hosts another class visit then "),
        _("Another class booked that time in the meantime. Choose another time."),
    ),
    (
        re.compile(r"^\S+'s room holds \d+ pupils; "),
        _("The library has no room left for the class at that time. Choose another time."),
    ),
    (
        re.compile(r"^class (?P<label>\S+) is at \S+ then "),
        _("Class {label} has another visit at that time."),
    ),
    (
        re.compile(
            r"^class (?P<label>\S+) of .+ already has its visit \w+ on "
            r"(?P<day>\d{4}-\d\d-\d\d) this school year$"
        ),
        _("Class {label} already has its visit this school year, on {day}."),
    ),
    (
        re.compile(r"^.+ is not in the staffed hours of "),
        _("The library is not staffed at that time. Choose one of the free times."),
    ),
    (
        re.compile(r"^this visit was held on (?P<day>\d{4}-\d\d-\d\d); it cannot be cancelled$"),
        _("The visit was held on {day}, so it cannot be cancelled."),
    ),
    (
        re.compile(r"^no class visit \S+ (of your school )?in this school year$"),
        _("We cannot find that visit."),
    ),
    (
        re.compile(r"^no branch '.*' is known here"),
        _("The library is not known to the booking yet. Try again in a little while."),
    ),
    (
        re.compile(r"^\S+ is in the summer holiday"),
        _("No visits are booked in the summer holiday."),
    ),
    (
        re.compile(r"^'.*' has no class \S+ in grade \d+ this school year"),
        _("The class is not registered for this school year. Contact the library."),
    ),
    (
        re.compile(r"^no school '.*' is registered"),
        _("Your school is not registered for class visits yet. Contact the library."),
    ),
]
_DEPOSITS_BY_PATTERN: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^the wished delivery date \S+ has passed"),
        _("The wished delivery date has passed. Choose today or a later day."),
    ),
    (
        re.compile(r"^a delivery can be wished up to a year ahead, until (?P<day>\S+)$"),
        _("A delivery can be wished up to a year ahead, until {day}."),
    ),
    (
        re.compile(r"^a deposit can be cancelled only before it is delivered"),
        _("The books are delivered already, so the deposit can no longer be cancelled."),
    ),
]
_RESOURCES_BY_PATTERN: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^a title has at most (?P<most>\d+) characters$"),
        _("A title has at most {most} characters."),
    ),
    (
        re.compile(
            r"^a page's text has at most (?P<most>\d+) characters, this has (?P<length>\d+)"
        ),
        _(
            "A page has at most {most} characters of text, and this has {length}. Split it into "
            "several pages."
        ),
    ),
    (
        re.compile(r"^a page '.*' exists already"),
        _("A page with that title exists already. Choose another title, or edit that page."),
    ),
    (re.compile(r"^no page '.*'$"), _("We cannot find that page in the resource bank.")),
    (
        re.compile(r"^page '.*' was removed in version \d+"),
        _("That page has been taken out of the resource bank."),
    ),
    (re.compile(r"^page '.*' has no version \d+"), _("The page has no such version.")),
    (
        re.compile(r"^version \d+ of page '.*' is its removal"),
        _("That version took the page out of the resource bank: it has no text."),
    ),
]
REFUSALS = Refusals(_SAID, _SAID_BY_PATTERN + _DEPOSITS_BY_PATTERN + _RESOURCES_BY_PATTERN)
