"""A check every package with user-facing text runs: its catalogs translate every message."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tvers_runtime.i18n import DOMAIN, Locale

_METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def marked_messages(package: str) -> set[str]:
    """Every message marked with ``_()`` in a package's source (and templates)."""
    folder = Path(str(resources.files(package)))
    found = extract_from_dir(str(folder), method_map=_METHODS)
    return {extracted[2] for extracted in found if isinstance(extracted[2], str)}


def untranslated(package: str, locale: Locale = Locale.NN) -> set[str]:
    """The marked messages the package's catalog for ``locale`` leaves untranslated."""
    po = resources.files(package).joinpath("locale", locale.value, "LC_MESSAGES", f"{DOMAIN}.po")
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale.value)
    translated = {m.id for m in catalog if m.id and m.string}
    return marked_messages(package) - translated
