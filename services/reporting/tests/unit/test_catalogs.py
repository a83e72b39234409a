"""Every message the reporting service marks for translation (the yearly report's) is
translated in the nynorsk catalog and listed in the English one."""

from tvers_runtime.i18n import Locale
from tvers_runtime.testing.catalogs import marked_messages, unlisted, untranslated

PACKAGE = "tvers_reporting"


def test_the_nynorsk_catalog_translates_every_marked_message() -> None:
    assert "Annual report {year}" in marked_messages(PACKAGE)
    assert untranslated(PACKAGE, Locale.NN) == set()


def test_the_english_catalog_lists_every_marked_message() -> None:
    assert unlisted(PACKAGE, Locale.EN) == set()
