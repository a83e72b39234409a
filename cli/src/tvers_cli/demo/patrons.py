"""The demo's library patrons, as the library system (the SIP2 test peer) knows them.

The same list every time: 300 cards, most of them adults, some without a birth date at the
library, a few blocked, and children of several ages, each with a guardian among the adults.
Patrons have no names; the card numbers and PINs are made up.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

INSTITUTION_ID = "aalesund"
LOGIN_USER = "tvers-door"
PATRON_COUNT = 300


@dataclass(frozen=True)
class DemoPatron:
    """One demo card and what the library system knows of it."""

    card: str
    pin: str
    birth_date: date | None
    blocked: bool = False
    guardian: str | None = None  # a child's guardian's card

    @property
    def is_child(self) -> bool:
        """Whether the patron is a child with a guardian."""
        return self.guardian is not None


def demo_patrons() -> list[DemoPatron]:
    """Every demo patron: guardians come before their children in the list."""
    rng = random.Random("alesund-patrons")  # noqa: S311 - demo data, not secrets
    patrons: list[DemoPatron] = []
    adults: list[str] = []
    for n in range(PATRON_COUNT):
        card = f"DEMO{100000 + n}"
        pin = f"{rng.randint(0, 9999):04d}"
        if n % 10 == 9 and adults:  # one in ten is a child of an earlier adult
            born = date(rng.randint(2011, 2019), rng.randint(1, 12), rng.randint(1, 28))
            patrons.append(DemoPatron(card, pin, born, guardian=rng.choice(adults)))
            continue
        born_at = date(rng.randint(1945, 2006), rng.randint(1, 12), rng.randint(1, 28))
        patrons.append(
            DemoPatron(
                card,
                pin,
                None if n % 7 == 3 else born_at,  # the library does not know every birth date
                blocked=n % 37 == 5,
            )
        )
        adults.append(card)
    return patrons


def write_library_patrons(path: Path, password: str) -> None:
    """The patrons file of the SIP2 test peer (``tvers_access.testing.sip2_peer``)."""
    document = {
        "about": "The demo's library patrons, written by tvers up for the SIP2 test peer.",
        "institution_id": INSTITUTION_ID,
        "login": {"user": LOGIN_USER, "password": password},
        "patrons": [
            {
                "card": p.card,
                "pin": p.pin,
                "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                "role": "child" if p.is_child else "adult",
                **({"guardian": p.guardian} if p.guardian else {}),
                **({"flags": ["card_reported_lost"]} if p.blocked else {}),
            }
            for p in demo_patrons()
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    path.chmod(0o600)
