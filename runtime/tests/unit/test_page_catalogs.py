"""The runtime's own catalogs (the shell every service's pages share) translate every message
it marks into nynorsk and list it in English; a service's catalogs fall back on them."""

from tvers_runtime.i18n import Catalogs, Locale
from tvers_runtime.pages import texts
from tvers_runtime.testing.catalogs import marked_messages, unlisted, untranslated

PACKAGE = "tvers_runtime"


def test_the_nynorsk_catalog_translates_every_marked_message() -> None:
    assert texts.FORM_OUT_OF_DATE in marked_messages(PACKAGE)
    assert "Skip to the content" in marked_messages(PACKAGE)  # from the shared templates
    assert untranslated(PACKAGE, Locale.NN) == set()


def test_the_english_catalog_lists_every_marked_message() -> None:
    assert unlisted(PACKAGE, Locale.EN) == set()


def test_another_packages_catalogs_fall_back_on_the_runtimes() -> None:
    catalogs = Catalogs("tvers_contracts")  # a package with no catalogs of its own
    assert catalogs.gettext(Locale.NN, texts.NOTHING_HERE) == "Her er det ingenting."
    assert catalogs.gettext(Locale.EN, texts.NOTHING_HERE) == texts.NOTHING_HERE
    assert catalogs.gettext(Locale.NN, "not a message") == "not a message"
