"""Card numbers become patron references here, and go no further.

A reference is an HMAC-SHA256 of the normalised card number under a per-deployment secret,
truncated to 128 bits: the same card always gives the same reference, which reveals nothing
without the key. The Norwegian data-protection authority counts even such references as personal
data, so they are kept to where they are needed and counted away elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

MIN_KEY_BYTES = 32


class PatronReferences:
    """Turns card numbers into patron references with one secret key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the patron key must be at least {MIN_KEY_BYTES} bytes")
        self._key = key

    @classmethod
    def from_file(cls, path: Path) -> PatronReferences:
        """Read the key from a secret file."""
        return cls(path.read_text(encoding="utf-8").strip().encode())

    def of(self, card_number: str) -> str:
        """The reference of a card number (case and surrounding spaces do not matter)."""
        normalised = card_number.strip().upper().encode()
        return hmac.new(self._key, normalised, hashlib.sha256).hexdigest()[:32]
