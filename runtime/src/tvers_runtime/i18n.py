"""User-facing text in Norwegian nynorsk (the default) and English, through gettext catalogs.

Messages are written in English in the code (``_("Welcome!")``, marked for extraction) and
translated in ``<package>/locale/<locale>/LC_MESSAGES/messages.po``. The catalogs are kept as
``.po`` text only and compiled by Babel when a package loads them, so no binary file lives in the
repository. ``pybabel extract`` (see ``babel.cfg`` at the root) finds the marked messages; a test
of each package checks that its catalogs translate every one of them.

The runtime has catalogs of its own, for what every service's pages say alike (the page shell of
:mod:`tvers_runtime.pages`); a package's catalogs fall back on them for a message they lack.

Dates and numbers are formatted by Babel with the same locale.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from importlib import resources

from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal


class Locale(StrEnum):
    """The locales every page and message comes in."""

    NN = "nn"
    EN = "en"


DEFAULT_LOCALE = Locale.NN
DOMAIN = "messages"
#: The package whose catalogs every other package's fall back on.
SHARED_PACKAGE = "tvers_runtime"


def _(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return message


class Catalogs:
    """The compiled catalogs of one package, one per locale, falling back on the runtime's own
    (the shared pages' messages) for a message the package's catalog lacks."""

    def __init__(self, package: str) -> None:
        self._translations: dict[Locale, gettext.NullTranslations] = {
            locale: _load(package, locale) for locale in Locale
        }
        if package != SHARED_PACKAGE:
            for locale, translation in self._translations.items():
                translation.add_fallback(_load(SHARED_PACKAGE, locale))

    def gettext(self, locale: Locale, message: str) -> str:
        """``message`` in ``locale`` (the English text itself where a catalog lacks it)."""
        return self._translations[locale].gettext(message)

    def translator(self, locale: Locale) -> Callable[[str], str]:
        """A ``gettext`` function for one locale, for templates and formatted messages."""
        return self._translations[locale].gettext


def _load(package: str, locale: Locale) -> gettext.NullTranslations:
    po = resources.files(package).joinpath("locale", locale.value, "LC_MESSAGES", f"{DOMAIN}.po")
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale.value)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def local_date(value: date, locale: Locale, *, form: str = "long") -> str:
    """A date as people of ``locale`` write it (``2. desember 2026`` in nynorsk)."""
    return format_date(value, format=form, locale=locale.value)


def local_time(value: datetime, locale: Locale) -> str:
    """A time of day (``21:45``), in the zone ``value`` carries."""
    return format_time(value, format="short", locale=locale.value)


def local_datetime(value: datetime, locale: Locale, *, form: str = "medium") -> str:
    """A date and time, in the zone ``value`` carries."""
    return format_datetime(value, format=form, locale=locale.value)


def local_number(value: float, locale: Locale) -> str:
    """A number with the locale's separators (``1 234,5`` in nynorsk)."""
    return format_decimal(value, locale=locale.value)
