"""Every message the desk service marks for translation (the desk page's) is translated in the
nynorsk catalog and listed in the English one (or in the runtime's, which the page shell's
messages come from)."""

from tvers_desk.entrypoints.desk_page import texts
from tvers_runtime.i18n import Locale
from tvers_runtime.testing.catalogs import marked_messages, unlisted, untranslated

PACKAGE = "tvers_desk"


def test_the_nynorsk_catalog_translates_every_marked_message() -> None:
    assert texts.OWN_DEPARTMENT in marked_messages(PACKAGE)
    assert "Recorded on this device" in marked_messages(PACKAGE)  # from a template
    assert untranslated(PACKAGE, Locale.NN) == set()


def test_the_english_catalog_lists_every_marked_message() -> None:
    assert unlisted(PACKAGE, Locale.EN) == set()
