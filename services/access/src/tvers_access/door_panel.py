"""What the door panel shows after a decision: a short message in nynorsk and in English.

The texts are gettext messages (``locale/*/LC_MESSAGES/messages.po``); the English text is the
message id. They speak to the patron at the door, so they say what to do, not what the rule is.
"""

from __future__ import annotations

from tvers_access.domain.entry import Decision
from tvers_contracts.events.access import DenialReason, EntryDenied
from tvers_runtime.i18n import Catalogs, Locale, _

CATALOGS = Catalogs("tvers_access")

WELCOME = _("Welcome in!")
NEEDS_GUARDIAN = _("You must come in together with your guardian.")
REFUSALS: dict[DenialReason, str] = {
    DenialReason.OUTSIDE_MEIROPE_HOURS: _("The library is closed now."),
    DenialReason.NO_AGREEMENT: _("You need a meirope agreement. Ask at the library."),
    DenialReason.SUSPENDED: _("Your meirope access is suspended. Contact the library."),
    DenialReason.WRONG_PIN: _("Wrong PIN. Try again."),
    DenialReason.UNKNOWN_CARD: _("This card is not known. Contact the library."),
    DenialReason.BLOCKED_CARD: _("This card is blocked. Contact the library."),
    DenialReason.UNDER_AGE: _("You are too young for meirope without a guardian's consent."),
    DenialReason.LIBRARY_SYSTEM_UNREACHABLE: _(
        "The door cannot check cards just now. Try again in a little while."
    ),
}


def panel_message(decision: Decision, locale: Locale) -> str:
    """The panel's text for a decision, in one locale."""
    event = decision.event
    if not isinstance(event, EntryDenied):
        return CATALOGS.gettext(locale, WELCOME)
    message = NEEDS_GUARDIAN if decision.needs_guardian else REFUSALS[event.reason]
    return CATALOGS.gettext(locale, message)
