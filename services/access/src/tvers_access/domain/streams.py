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
