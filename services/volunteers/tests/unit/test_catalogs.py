"""Every message the volunteers service marks for translation is translated in the nynorsk
catalog and listed in the English one (or in the runtime's, which the page shell's messages
come from)."""

from tvers_runtime.i18n import Locale
from tvers_runtime.testing.catalogs import marked_messages, unlisted, untranslated
from tvers_volunteers.adapters import certificate_pdf

PACKAGE = "tvers_volunteers"


def test_the_nynorsk_catalog_translates_every_marked_message() -> None:
    assert certificate_pdf.TITLE in marked_messages(PACKAGE)
    assert untranslated(PACKAGE, Locale.NN) == set()


def test_the_english_catalog_lists_every_marked_message() -> None:
    assert unlisted(PACKAGE, Locale.EN) == set()
