"""What every service's domain core shares: its errors. Pure, no I/O.

A command the domain rejects raises one of these; it changes nothing. The HTTP layer turns them
into 404, 409 and 422 responses that say what was wrong.
"""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused by a rule of the domain."""

    code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The command is about something that does not exist."""

    code = "not_found"


class Conflict(DomainError):
    """The command clashes with the current state (already done, full, taken)."""

    code = "conflict"


class RuleViolated(DomainError):
    """The command breaks a business rule whatever the state (more cards than pupils)."""

    code = "rule_violated"


class UnknownReference(RuleViolated):
    """The command names something that does not exist (or is not known here yet): a branch, a
    school. A 422, like any other rule: the request itself is what is wrong, not its target."""

    code = "unknown_reference"
