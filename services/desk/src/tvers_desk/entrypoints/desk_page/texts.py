"""The desk page's own messages, in English as their ids; the desk package's catalogs
(``tvers_desk/locale/*/LC_MESSAGES``) translate them, the page shell's come from the runtime's."""

from __future__ import annotations

from tvers_contracts.events.desk import Channel, Department, Duration
from tvers_runtime.i18n import _

BRAND = _("The innbyggartorg desk log")
BACK = _("Back to the desk log")
TO_SIGN_IN = _("Sign in")

# Signing in.
NOT_SIGNED_IN = _("You are not signed in")
SIGN_IN_FIRST = _("Sign in with the desk's access code first.")
TOKEN_INVALID = _(
    "The access code is not valid: it may be mistyped, out of date or for another service. Ask "
    "the library's IT contact for a new one."
)
TOKEN_OF_ANOTHER_ROLE = _(
    "The desk log is for the innbyggartorg desks and the library's staff, and this access code "
    "is for another role."
)
SIGNED_OUT = _("You are signed out")
SIGNED_OUT_TEXT = _("To sign in again, paste the desk's access code once more.")

# What was done.
RECORDED = _("Recorded. Thank you!")
UNDONE = _("The record is undone: it will not be counted.")

# Refusals of the form.
CHOOSE_DEPARTMENT = _("Choose the department that helped.")
CHOOSE_CATEGORY = _("Choose what the help was about.")
CHOOSE_CHANNEL = _("Choose how the person came: in person, by phone or by e-mail.")
CHOOSE_DURATION = _("Choose roughly how long the help took.")
CHOOSE_REFERRAL = _("Choose one of the other departments, or no referral.")
CHOOSE_SITE = _("Choose one of the innbyggartorg sites.")
OTHER_SITE = _("This desk's access code records help at {site} only.")
UNKNOWN_SITE = _("That is not one of the innbyggartorg sites. Choose one of those offered.")
UNKNOWN_CATEGORY = _("That category is not on the list. Choose one of those offered.")
CATEGORY_RETIRED = _("That category is no longer in use. Choose one of those offered.")
OWN_DEPARTMENT = _(
    "A department cannot refer a person to itself. Choose another department, or no referral."
)
NO_SUCH_RECORD = _("We cannot find that record among this desk's.")
UNDO_TOO_LATE = _("That record is more than a few minutes old, so it can no longer be undone.")
ALREADY_UNDONE = _("That record was undone already.")

DEPARTMENTS: dict[Department, str] = {
    Department.LIBRARY: _("Library"),
    Department.CITIZEN_SERVICE: _("Citizen service"),
    Department.VOLUNTEER_CENTRE: _("Volunteer centre"),
}
CHANNELS: dict[Channel, str] = {
    Channel.IN_PERSON: _("In person"),
    Channel.PHONE: _("Phone"),
    Channel.EMAIL: _("E-mail"),
}
DURATIONS: dict[Duration, str] = {
    Duration.UNDER_5_MINUTES: _("Under 5 min"),
    Duration.FROM_5_TO_15_MINUTES: _("5–15 min"),  # noqa: RUF001 - a range is written with an en dash
    Duration.OVER_15_MINUTES: _("Over 15 min"),
}
REFERRED_TO = _("referred to {department}")
