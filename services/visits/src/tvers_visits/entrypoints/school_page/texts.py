"""The school page's own messages: what it says after an action, why it refuses a request, and
the words of its parts. The English text is the message id; the service's catalogs translate it
(``tvers_visits/locale/*/LC_MESSAGES``)."""

from __future__ import annotations

from tvers_contracts.events.visits import CancelReason
from tvers_runtime.i18n import _

BRAND = _("The school and the library")
BACK = _("Back to the school's page")
TO_SIGN_IN = _("Sign in")

#: What an action did, by the code the page is sent back to (``/skule?done=booked``).
DONE: dict[str, str] = {
    "booked": _("The visit is booked. Welcome to the library!"),
    "cancelled": _("The visit is cancelled."),
    "ordered": _("The deposit is ordered. The library prepares it and brings it to the school."),
    "deposit-cancelled": _("The deposit is cancelled."),
    "saved": _("The page is saved."),
}

#: Why a visit was cancelled, as the page says it.
REASONS: dict[CancelReason, str] = {
    CancelReason.SCHOOL_CANCELLED: _("The school cannot come"),
    CancelReason.WEATHER_OR_TRAVEL: _("Weather or travel"),
    CancelReason.ILLNESS: _("Illness"),
    CancelReason.BOOKED_BY_MISTAKE: _("Booked by mistake"),
    CancelReason.OTHER: _("Other"),
    CancelReason.LIBRARY_CANCELLED: _("The library cancelled"),
}
#: The reasons a teacher can give (the library's own is the library's to give).
TEACHERS_REASONS = [reason for reason in REASONS if reason is not CancelReason.LIBRARY_CANCELLED]

NOT_SIGNED_IN = _("You are not signed in")
SIGN_IN_FIRST = _("Sign in with your access code first.")
SIGN_IN_FAILED = _("Signing in did not work")
TOKEN_INVALID = _(
    "The access code is not valid: it may be mistyped, out of date or for another service. Ask "
    "the library for a new one."
)
TOKEN_OF_ANOTHER_ROLE = _(
    "This page is for teachers and school librarians, and the access code is for another role."
)
TOKEN_WITHOUT_SCHOOL = _("The access code is bound to no school. Ask the library for a new one.")
SIGNED_OUT = _("You are signed out")
SIGNED_OUT_TEXT = _("To sign in again, paste your access code once more.")
TEACHERS_ONLY = _("Only teachers book and cancel visits on this page.")
NO_SUCH_CLASS = _("We cannot find that class among your school's classes this school year.")
CHOOSE_A_TIME = _("Choose one of the free times.")
CHOOSE_A_REASON = _("Choose why the visit is cancelled.")

# The book deposits' page.
SCHOOL_NOT_REGISTERED = _(
    "Your school is not registered with the library yet. Contact the library."
)
NO_SUCH_DEPOSIT = _("We cannot find that deposit among your school's.")
CHOOSE_WHO_FOR = _("Choose the school library or one of the school's classes.")
WRITE_A_THEME = _(
    "Write the theme on one line of at most {most} characters, with letters in it: no e-mail "
    "address and no phone number."
)
HOW_MANY_BOOKS = _("Write about how many books, as a whole number from 1 to {most}.")
CHOOSE_A_DAY = _("Choose the day you wish the books delivered.")

# The resource bank's pages.
LIBRARIANS_ONLY = _("Only school librarians write in the resource bank on this page.")
CHOOSE_A_CATEGORY = _("Choose what the page is about.")
TITLE_WITHOUT_LETTERS = _("Give the page a title with letters or digits in it.")
SEARCH_TOO_LONG = _("Search with at most {most} characters.")
