"""Every message the volunteers service marks for translation is translated in the nynorsk
catalog and listed in the English one."""

from importlib import resources

from babel.messages.pofile import read_po

from tvers_runtime.i18n import Locale
from tvers_runtime.testing.catalogs import marked_messages, untranslated
from tvers_volunteers.adapters import certificate_pdf

PACKAGE = "tvers_volunteers"


def test_the_nynorsk_catalog_translates_every_marked_message() -> None:
    assert certificate_pdf.TITLE in marked_messages(PACKAGE)
    assert untranslated(PACKAGE, Locale.NN) == set()


def test_the_english_catalog_lists_every_marked_message() -> None:
    po = resources.files(PACKAGE).joinpath("locale", "en", "LC_MESSAGES", "messages.po")
    with po.open("rb") as source:
        listed = {message.id for message in read_po(source, locale="en") if message.id}
    assert marked_messages(PACKAGE) - listed == set()
