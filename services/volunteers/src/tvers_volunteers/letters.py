"""What a mail to a volunteer says: the reminder of a shift and its cancellation, in nynorsk
first and then in English.

The texts are gettext messages (``locale/*/LC_MESSAGES/messages.po``; the English text is the
message id), filled in with the branch's name and the shift's date and times on Oslo's wall
clock, formatted by Babel for each locale. Volunteers choose no language anywhere yet, so every
letter carries both, nynorsk first: one mail that each volunteer can read, rather than a guess.

A letter holds the volunteer's name: it is made just before sending and never logged (its
``repr`` shows nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tvers_contracts.schedule import OSLO
from tvers_runtime.i18n import Catalogs, Locale, _, local_date, local_time
from tvers_volunteers.domain.notices import Notice

CATALOGS = Catalogs("tvers_volunteers")
#: Every letter's languages, in order.
LOCALES: tuple[Locale, ...] = (Locale.NN, Locale.EN)
#: The heading above each part after the first, in its own language.
PART_HEADING = {Locale.NN: "Nynorsk", Locale.EN: "English"}
SIGNATURE = "Ålesundsbiblioteka"

SUBJECTS: dict[Notice, str] = {
    Notice.REMINDER: _("Reminder: your shift at {branch} on {date}"),
    Notice.CANCELLED_PLACE: _("Cancelled: your shift at {branch} on {date}"),
    Notice.CANCELLED_WAITING: _("Cancelled: the shift at {branch} on {date}"),
}
GREETING = _("Hello {name},")
PARAGRAPHS: dict[Notice, tuple[str, ...]] = {
    Notice.REMINDER: (
        _("This is a reminder of your shift at {branch} on {date}, from {start} to {end}."),
        _(
            "If you cannot come, release the shift on your volunteer page as soon as you can, "
            "so that someone else can take it."
        ),
        _("Thank you for being a library friend!"),
    ),
    Notice.CANCELLED_PLACE: (
        _(
            "The shift at {branch} on {date}, from {start} to {end}, has been cancelled. You no "
            "longer have a place on it, and you need not come."
        ),
        _("You will find other open shifts on your volunteer page."),
    ),
    Notice.CANCELLED_WAITING: (
        _(
            "The shift at {branch} on {date}, from {start} to {end}, which you were on the "
            "waitlist for, has been cancelled. Your place on the waitlist ends with it."
        ),
        _("You will find other open shifts on your volunteer page."),
    ),
}


@dataclass(frozen=True, repr=False)
class Letter:
    """A mail's subject and plain-text body."""

    subject: str
    body: str

    def __repr__(self) -> str:
        return "Letter(<not shown>)"


def compose(
    notice: Notice,
    *,
    name: str,
    branch: str,
    starts_at: datetime,
    ends_at: datetime,
    locales: Sequence[Locale] = LOCALES,
) -> Letter:
    """The letter for one notice to one volunteer: the subject in the first locale, the body in
    each locale in turn."""
    parts = [
        _part(notice, locale, name=name, branch=branch, starts_at=starts_at, ends_at=ends_at)
        for locale in locales
    ]
    body = parts[0]
    for locale, part in zip(locales[1:], parts[1:], strict=True):
        body += f"\n\n--- {PART_HEADING[locale]} ---\n\n{part}"
    first = locales[0]
    subject = _fill(SUBJECTS[notice], first, branch=branch, starts_at=starts_at, ends_at=ends_at)
    return Letter(subject=subject, body=body + "\n")


def _part(
    notice: Notice,
    locale: Locale,
    *,
    name: str,
    branch: str,
    starts_at: datetime,
    ends_at: datetime,
) -> str:
    greeting = CATALOGS.gettext(locale, GREETING).format(name=name)
    paragraphs = [
        _fill(text, locale, branch=branch, starts_at=starts_at, ends_at=ends_at)
        for text in PARAGRAPHS[notice]
    ]
    return "\n\n".join([greeting, *paragraphs, SIGNATURE])


def _fill(
    message: str, locale: Locale, *, branch: str, starts_at: datetime, ends_at: datetime
) -> str:
    start, end = starts_at.astimezone(OSLO), ends_at.astimezone(OSLO)
    return CATALOGS.gettext(locale, message).format(
        branch=branch,
        date=local_date(start.date(), locale, form="full"),
        start=local_time(start, locale),
        end=local_time(end, locale),
    )
