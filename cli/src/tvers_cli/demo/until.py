"""The moment the demo's data runs up to, and the day the volunteers' history runs up to.

The first fill of a day on a data folder fills up to the moment it starts, and writes it down;
every later fill that day on that folder fills up to the same moment, so it sends the very
same requests (a patron who would have come in between the two runs would be new otherwise).
A fill on another day starts afresh from its own moment.

The volunteers' history is made on a simulated clock (decision 0029) and runs up to the day of
the first fill on a data folder, for good: every later fill makes the same history again (and
so adds nothing to it), and adds only shifts to come. A history remade up to a later day would
meet, on the days in between, the shifts an earlier fill published to come, which the running
service has dealt with since (reminders, no-shows), and would have to go back in time on them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

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


@dataclass(frozen=True)
class HistoryRecord:
    """What the data folder keeps of the volunteers' history: the day it runs up to, and once
    it is made, the ids the service gave the demo's volunteers (opaque, no personal data)."""

    day: date
    volunteers: dict[int, str] = field(default_factory=dict)


def history_record(data: DataDir, today: date) -> HistoryRecord:
    """The record of the volunteers' history: the one written down, or else a new one up to
    ``today`` (then written)."""
    record: HistoryRecord | None
    try:
        kept = json.loads(data.demo_history.read_text(encoding="utf-8"))
        record = HistoryRecord(
            date.fromisoformat(kept["day"]),
            {int(n): str(v) for n, v in kept.get("volunteers", {}).items()},
        )
    except (FileNotFoundError, ValueError, KeyError, TypeError, AttributeError):
        record = None
    if record is None or record.day > today:
        record = HistoryRecord(today)
        write_history_record(data, record)
    return record


def write_history_record(data: DataDir, record: HistoryRecord) -> None:
    """Write the record down."""
    kept = {"day": record.day.isoformat(), "volunteers": record.volunteers}
    data.demo_history.write_text(
        json.dumps(kept, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
