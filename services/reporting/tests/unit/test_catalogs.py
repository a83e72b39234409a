"""Every message the reporting service marks for translation (the national statistics' labels,
notes and CSV headings) is translated in the nynorsk catalog and listed in the English one."""

from tvers_reporting.domain.statistics_figures import NO_COUNTER, WORDING, Figure
from tvers_runtime.i18n import Locale
from tvers_runtime.testing.catalogs import marked_messages, unlisted, untranslated

PACKAGE = "tvers_reporting"


def test_the_nynorsk_catalog_translates_every_marked_message() -> None:
    assert WORDING[Figure.VISITS_MEIROPE].note in marked_messages(PACKAGE)
    assert NO_COUNTER in marked_messages(PACKAGE)
    assert untranslated(PACKAGE, Locale.NN) == set()


def test_the_english_catalog_lists_every_marked_message() -> None:
    assert unlisted(PACKAGE, Locale.EN) == set()
