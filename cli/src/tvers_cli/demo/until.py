"""The moment the demo's data runs up to.

The first fill of a day on a data folder fills up to the moment it starts, and writes it down;
every later fill that day on that folder fills up to the same moment, so it sends the very
same requests (a patron who would have come in between the two runs would be new otherwise).
A fill on another day starts afresh from its own moment."""

from __future__ import annotations

from datetime import datetime

from tvers_cli.demo.places import ZONE
from tvers_cli.layout import DataDir


def fill_until(data: DataDir, now: datetime) -> datetime:
    """The moment to fill up to: the one written down today, or else ``now`` (then written)."""
    path = data.demo_until
    try:
        kept: datetime | None = datetime.fromisoformat(path.read_text(encoding="utf-8").strip())
    except (FileNotFoundError, ValueError):
        kept = None
    if (
        kept is not None
        and kept.tzinfo is not None
        and kept <= now
        and kept.astimezone(ZONE).date() == now.astimezone(ZONE).date()
    ):
        return kept
    path.write_text(f"{now.isoformat()}\n", encoding="utf-8")
    return now
