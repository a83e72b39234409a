"""Stream ids of the access service's aggregates."""

from __future__ import annotations

from datetime import date


def branch_stream(branch_id: str) -> str:
    """A branch: its registration and schedule."""
    return f"branch-{branch_id}"


def door_stream(door_id: str) -> str:
    """A door: its registration (the presentations are kept per day, below)."""
    return f"door-{door_id}"


def agreement_stream(patron_ref: str) -> str:
    """A patron's meirope agreement, by the pseudonymous reference."""
    return f"agreement-{patron_ref}"


def presentations_stream(door_id: str, day: date) -> str:
    """One door's presentations on one day: short streams, and door logs that can be
    removed by day when their retention ends."""
    return f"presentations-{door_id}-{day.isoformat()}"


def retention_stream(branch_id: str) -> str:
    """What a branch's retention destroyed (the month keys of its door references)."""
    return f"retention-{branch_id}"


# Occupancy, closing and alarms (decision 0015): logs kept per branch and day, so that each
# kind can be removed by day when its retention ends.


def counts_stream(branch_id: str, day: date) -> str:
    """A branch's counter reports of one day (by the counter's time, in Europe/Oslo)."""
    return f"counts-{branch_id}-{day.isoformat()}"


def alarms_stream(branch_id: str, day: date) -> str:
    """A branch's door alarms and tailgating suspicions of one day."""
    return f"alarms-{branch_id}-{day.isoformat()}"


def closing_stream(branch_id: str, day: date) -> str:
    """A branch's closing announcements, by the day of the closing."""
    return f"closing-{branch_id}-{day.isoformat()}"


def occupants_stream(branch_id: str) -> str:
    """A branch's alerts of people left inside at closing, and the clears by staff: a few a
    month, read whole for the branch status."""
    return f"occupants-{branch_id}"
