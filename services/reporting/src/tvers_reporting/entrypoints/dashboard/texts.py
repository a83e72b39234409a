"""The dashboard's own messages, in English as their ids; the reporting package's catalogs
(``tvers_reporting/locale/*/LC_MESSAGES``) translate them, the page shell's come from the
runtime's."""

from __future__ import annotations

from tvers_runtime.i18n import _

BRAND = _("Working across")
BACK = _("Back to the dashboard")
TO_SIGN_IN = _("Sign in")

# Signing in.
NOT_SIGNED_IN = _("You are not signed in")
SIGN_IN_FIRST = _("Sign in with your access code first.")
TOKEN_INVALID = _(
    "The access code is not valid: it may be mistyped, out of date or for another service. Ask "
    "the library's IT contact for a new one."
)
TOKEN_OF_ANOTHER_ROLE = _(
    "The dashboard is for the library's leaders and staff, and this access code is for another "
    "role."
)
SIGNED_OUT = _("You are signed out")
SIGNED_OUT_TEXT = _("To sign in again, paste your access code once more.")

# The filters.
BAD_FROM = _("The first day of the period is no date. Write it as 2026-01-31.")
BAD_TO = _("The last day of the period is no date. Write it as 2026-12-31.")
BAD_PERIOD = _("Choose one of the periods offered.")
FROM_AFTER_TO = _("The period's first day comes after its last.")
PERIOD_TOO_LONG = _("Choose a period of at most three years.")
UNKNOWN_BRANCH = _("Choose one of the branches offered, or all of them.")
UNKNOWN_SCHOOL_YEAR = _("Choose one of the school years offered.")
FILTER_TWICE = _("Choose each filter only once.")
BAD_SORT = _("Choose one of the table's columns to sort by.")
CHOOSE_AGAIN = _("The dashboard cannot show that")

# The sources of the figures, by their stream, as a librarian knows them.
STRANDS: dict[str, str] = {
    "ACCESS": _("the doors (meirope)"),
    "VOLUNTEERS": _("the library friends (volunteers)"),
    "VISITS": _("the schools"),
    "DESK": _("the citizen-service desks"),
}
SOMEWHERE = _("one of the services")

# How the figures are kept up to date, in words.
STOPPED = _(
    "The figures from {strand} are not being updated. The system cannot go on by itself: ask "
    "the IT department to look at it."
)
RETRYING = _(
    "The figures from {strand} are not being updated just now. The system is trying again by "
    "itself."
)
CATCHING_UP = _(
    "The figures from {strand} are catching up: {waiting} new events are still to be counted. "
    "The page fills in as they are."
)
NOT_READ = _(
    "{count} events from {strand} could not be counted, so some figures may be a little low. "
    "The IT department can look at them and count them again."
)
ALL_WELL = _("All figures are up to date.")

# The periods the page offers by name (filters.Named's values).
PERIOD_NAMES: dict[str, str] = {
    "last-30-days": _("The last 30 days"),
    "last-12-months": _("The last 12 months"),
    "this-year": _("This year so far"),
}
