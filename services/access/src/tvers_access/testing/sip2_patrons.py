"""The patrons of the SIP2 test peer, from a JSON fixture file (``patrons.json`` here by default).

A patron is a card, a PIN, a birth date where the library system knows one, and the patron-status
flags that block the card. Patrons have no names. ``role`` and ``guardian`` (the card of a child's
guardian) are for the demo; the library system does not use them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from tvers_access.adapters.sip2.flags import PatronFlag

DEFAULT_PATRONS = files("tvers_access.testing") / "patrons.json"


@dataclass(frozen=True)
class PeerPatron:
    """One patron as the library system knows it."""

    card: str
    pin: str = field(repr=False)
    birth_date: date | None = None
    flags: frozenset[PatronFlag] = frozenset()
    role: str = "adult"
    guardian: str | None = None


@dataclass(frozen=True)
class PatronDirectory:
    """The library system's patrons, and the account the door system logs in with."""

    institution_id: str
    login_user: str
    login_password: str = field(repr=False)
    patrons: dict[str, PeerPatron] = field(repr=False, default_factory=dict)

    def find(self, card: str) -> PeerPatron | None:
        """The patron with this card (case and surrounding spaces do not matter)."""
        return self.patrons.get(card.strip().upper())


def load_patrons(path: Path | None = None) -> PatronDirectory:
    """Read a patrons file (the packaged one by default)."""
    text = path.read_text(encoding="utf-8") if path else DEFAULT_PATRONS.read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    patrons = [_patron(entry) for entry in document["patrons"]]
    return PatronDirectory(
        institution_id=document["institution_id"],
        login_user=document["login"]["user"],
        login_password=document["login"]["password"],
        patrons={patron.card.upper(): patron for patron in patrons},
    )


def _patron(entry: dict[str, Any]) -> PeerPatron:
    born = entry.get("birth_date")
    return PeerPatron(
        card=entry["card"],
        pin=entry["pin"],
        birth_date=date.fromisoformat(born) if born else None,
        flags=frozenset(PatronFlag[name.upper()] for name in entry.get("flags", ())),
        role=entry.get("role", "adult"),
        guardian=entry.get("guardian"),
    )
