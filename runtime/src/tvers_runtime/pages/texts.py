"""What every service's pages say alike: why a request was refused, and what a refusal of the
domain is when the service has no words of its own for it. The English text is the message id;
the runtime's catalogs translate it (``tvers_runtime/locale/*/LC_MESSAGES``)."""

from __future__ import annotations

from tvers_runtime.i18n import _

PROBLEM = _("That did not work")
NOTHING_HERE = _("There is nothing here.")
WENT_WRONG = _("Something went wrong on our side. Try again in a little while.")
FORM_OUT_OF_DATE = _("The form was out of date, so nothing was done. Try again from the page.")
NOT_A_FORM = _("Send the form from the page.")
BUSY = _("Many are using the page just now. Try again in a moment.")
CHANGED = _("Something changed while you were at it. Look at the page again and try once more.")
#: A refusal of the domain the service has no words of its own for, by its kind.
NOT_FOUND = _("We could not find what you asked for.")
NOT_NOW = _("That could not be done just now.")
NOT_ALLOWED = _("That is not allowed.")
