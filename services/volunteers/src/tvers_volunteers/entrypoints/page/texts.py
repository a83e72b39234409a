"""The page's own messages: what it says after an action, and why it refuses a request. The
English text is the message id; the catalogs translate it (``locale/*/LC_MESSAGES``)."""

from __future__ import annotations

from tvers_runtime.i18n import _

#: What an action did, by the code the page is sent back to (``/me?done=claimed``).
DONE: dict[str, str] = {
    "claimed": _("You have the shift. Thank you!"),
    "waiting": _(
        "The shift was full, so you are on its waitlist. You get a place automatically if one "
        "becomes free."
    ),
    "released": _("You have given up the shift."),
    "left_waitlist": _("You have left the waitlist."),
    "checked_in": _("You are checked in. Have a good shift!"),
    "checked_out": _("You are checked out. Thank you for your help!"),
    "certificate": _("Your certificate is ready: it is at the top of the list below."),
}

NOT_SIGNED_IN = _("You are not signed in")
OPEN_YOUR_LINK = _(
    "Open your personal sign-in link again, or ask the volunteer centre for a new one."
)
LINK_UNUSABLE = _("This link cannot be used")
LINK_USED_OR_OLD = _(
    "The link has been used already, or it is too old. Ask the volunteer centre for a new one."
)
BUSY = _("Many are signing up just now. Try again in a moment.")
CHANGED = _("The shift changed while you were at it. Look at it again and try once more.")
DATES_AS = _("Write the dates as year-month-day, for example 2026-01-31.")
TICK_TO_ERASE = _("Tick the box to confirm that you want your data erased.")
ERASED = _("Your data is erased")
ERASED_TEXT = _(
    "Your name and contact details are deleted for good. The shifts and hours you served stay "
    "in the figures, without your name. Thank you for your time as a library friend!"
)
SIGNED_OUT = _("You are signed out")
SIGNED_OUT_TEXT = _(
    "To sign in again, open your personal sign-in link, or ask the volunteer centre for a new one."
)
