"""Text from events as the read models can keep it."""

from __future__ import annotations


def storable(text: str) -> str:
    """``text`` without NUL characters, which PostgreSQL's ``text`` cannot hold: the contracts let
    a name carry any character, and a name that could not be kept would park its whole stream
    behind a dead letter."""
    return text.replace("\x00", "")
