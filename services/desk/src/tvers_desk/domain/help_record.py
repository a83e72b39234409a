"""A help record: given, and maybe undone within a few minutes. One stream per record
(``help-<help_id>``): records never touch each other, so desks never wait on one another.
Pure, no I/O; the time comes from the injected clock.

The **undo window** is a duration from the moment the record was given, not a time of day: a
record given at 23:58 can be undone at 00:02, and the night the clocks go back changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.desk import (
    Channel,
    Department,
    Duration,
    HelpGiven,
    HelpUndone,
    UndoReason,
)
from tvers_desk.domain.categories import CategoryList
from tvers_desk.domain.errors import (
    AlreadyUndone,
    HelpNotFound,
    ReferralToOwnDepartment,
    UndoWindowClosed,
    UnknownSite,
)
from tvers_runtime.domain import Conflict

#: How long after it was given a record may be undone (a mistake is seen at once).
UNDO_WINDOW = timedelta(minutes=5)


def stream(help_id: UUID) -> str:
    """A help record's stream id."""
    return f"help-{help_id}"


@dataclass(frozen=True)
class NewHelp:
    """What a desk records: where, who helped, with what, how, how long, and any referral."""

    site: str
    department: Department
    category_id: str
    channel: Channel
    duration: Duration
    referred_to: Department | None = None


@dataclass(frozen=True)
class HelpRecord:
    """A record as the rules need it: what was given, and whether it was undone."""

    given: HelpGiven | None = None
    undone: bool = False

    def undo_until(self, window: timedelta = UNDO_WINDOW) -> datetime | None:
        """Until when the record may be undone (exclusive); None for no record."""
        return None if self.given is None else self.given.given_at + window


NO_RECORD = HelpRecord()


def evolve(record: HelpRecord, event: DomainEvent) -> HelpRecord:
    """The record after an event."""
    if isinstance(event, HelpGiven):
        return HelpRecord(given=event)
    if isinstance(event, HelpUndone):
        return HelpRecord(given=record.given, undone=True)
    return record


def give(
    record: HelpRecord,
    help_id: UUID,
    new: NewHelp,
    *,
    sites: Collection[str],
    categories: CategoryList,
    now: datetime,
) -> list[DomainEvent]:
    """Record help given at a known site, in an offered category, referred (if at all) to
    another department than the one that helped."""
    if record.given is not None:
        raise Conflict(f"help record {help_id} exists; try again with another id")
    if new.site not in sites:
        raise UnknownSite(f"no innbyggartorg site {new.site!r}; the sites: {', '.join(sites)}")
    categories.check_offered(new.category_id)
    if new.referred_to is new.department:
        raise ReferralToOwnDepartment(
            f"the {new.department.value} department cannot refer a citizen to itself"
        )
    return [
        HelpGiven(
            help_id=help_id,
            site=new.site,
            department=new.department,
            category_id=new.category_id,
            channel=new.channel,
            duration=new.duration,
            referred_to=new.referred_to,
            given_at=now,
        )
    ]


def undo(
    record: HelpRecord,
    reason: UndoReason,
    *,
    now: datetime,
    only_site: str | None = None,
    window: timedelta = UNDO_WINDOW,
) -> list[DomainEvent]:
    """Undo a record within the window after it was given, once. With ``only_site`` (a desk's
    own site), a record of another site is as good as unknown."""
    given = record.given
    if given is None or (only_site is not None and given.site != only_site):
        raise HelpNotFound("no such help record")
    if record.undone:
        raise AlreadyUndone(f"help record {given.help_id} was undone already")
    if now >= given.given_at + window:
        minutes = int(window.total_seconds() // 60)
        raise UndoWindowClosed(
            f"help record {given.help_id} is older than {minutes} minutes; it can no longer be "
            "undone"
        )
    return [HelpUndone(help_id=given.help_id, reason=reason)]
