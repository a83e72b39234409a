"""Every message the visits service marks for translation (the school page's) is translated in
the nynorsk catalog and listed in the English one (or in the runtime's, which the page shell's
messages come from)."""

from tvers_runtime.i18n import Locale
from tvers_runtime.testing.catalogs import marked_messages, unlisted, untranslated
from tvers_visits.entrypoints.school_page import texts

PACKAGE = "tvers_visits"


def test_the_nynorsk_catalog_translates_every_marked_message() -> None:
    assert texts.TOKEN_INVALID in marked_messages(PACKAGE)
    assert "Book the visit" in marked_messages(PACKAGE)  # from a template
    assert untranslated(PACKAGE, Locale.NN) == set()


def test_the_english_catalog_lists_every_marked_message() -> None:
    assert unlisted(PACKAGE, Locale.EN) == set()
