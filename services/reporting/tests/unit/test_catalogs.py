"""Every message the reporting service marks for translation (the dashboard's, the yearly
report's, and the national statistics' labels, notes and CSV headings) is translated in the
nynorsk catalog and listed in the English one (or in the runtime's, which the page shell's
messages come from)."""

from tvers_reporting.domain.statistics_figures import NO_COUNTER, WORDING, Figure
from tvers_reporting.entrypoints.dashboard import texts
from tvers_runtime.i18n import Locale
from tvers_runtime.testing.catalogs import marked_messages, unlisted, untranslated

PACKAGE = "tvers_reporting"


def test_the_nynorsk_catalog_translates_every_marked_message() -> None:
    assert WORDING[Figure.VISITS_MEIROPE].note in marked_messages(PACKAGE)
    assert NO_COUNTER in marked_messages(PACKAGE)
    assert texts.TOKEN_INVALID in marked_messages(PACKAGE)
    assert "Is working across happening?" in marked_messages(PACKAGE)  # from a template
    assert "Annual report {year}" in marked_messages(PACKAGE)
    assert untranslated(PACKAGE, Locale.NN) == set()


def test_the_english_catalog_lists_every_marked_message() -> None:
    assert unlisted(PACKAGE, Locale.EN) == set()
