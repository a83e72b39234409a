"""A check every package with user-facing text runs: its catalogs translate every message.

A package's catalogs fall back on the runtime's own (:data:`tvers_runtime.i18n.SHARED_PACKAGE`),
so a message the runtime's catalog translates needs no entry in the package's.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tvers_runtime.i18n import DOMAIN, SHARED_PACKAGE, Locale

_METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def marked_messages(package: str) -> set[str]:
    """Every message marked with ``_()`` in a package's source (and templates)."""
    folder = Path(str(resources.files(package)))
    found = extract_from_dir(str(folder), method_map=_METHODS)
    return {extracted[2] for extracted in found if isinstance(extracted[2], str)}


def catalog(package: str, locale: Locale) -> Catalog:
    """A package's catalog for ``locale``, as written."""
    po = resources.files(package).joinpath("locale", locale.value, "LC_MESSAGES", f"{DOMAIN}.po")
    with po.open("rb") as source:
        return read_po(source, locale=locale.value)


def _with_shared(package: str, locale: Locale) -> list[Catalog]:
    if package == SHARED_PACKAGE:
        return [catalog(package, locale)]
    return [catalog(package, locale), catalog(SHARED_PACKAGE, locale)]


def untranslated(package: str, locale: Locale = Locale.NN) -> set[str]:
    """The marked messages the package's catalog for ``locale`` (or the runtime's) leaves
    untranslated."""
    translated = {m.id for c in _with_shared(package, locale) for m in c if m.id and m.string}
    return marked_messages(package) - translated


def unlisted(package: str, locale: Locale = Locale.EN) -> set[str]:
    """The marked messages neither the package's catalog for ``locale`` nor the runtime's lists
    (English is the messages' own language: its catalog lists them, with no translation)."""
    listed = {m.id for c in _with_shared(package, locale) for m in c if m.id}
    return marked_messages(package) - listed
