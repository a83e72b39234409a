"""What the demo makes happen on purpose at the doors, besides the ordinary traffic: a refusal
of every kind in the last week, the library system away for a moment one evening, door alarms,
tailgating, and people left inside at two recent closings.

Each is planned from its own random source, named by its key, so that the same key always means
the same request (see :mod:`tvers_cli.demo.plans`)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from tvers_cli.demo.arrivals import People
from tvers_cli.demo.counts_and_alarms import (
    GRANTED,
    alarm,
    left_inside,
    now_and_then,
    tailgating,
)
from tvers_cli.demo.patrons import DemoPatron
from tvers_cli.demo.places import UNACCOMPANIED_MIN_AGE, ZONE, Branch, evening
from tvers_cli.demo.plans import CounterReading, DoorAlarm, Presentation
from tvers_contracts.events.access import DenialReason, DoorAlarmKind, UnreachablePolicy

#: The refusals shown in the last week, with how many days ago (the unreachable library system
#: has an evening of its own: :func:`outage`).
ATTEMPTS = (
    (DenialReason.OUTSIDE_MEIROPE_HOURS, 1),
    (DenialReason.NO_AGREEMENT, 2),
    (DenialReason.SUSPENDED, 3),
    (DenialReason.WRONG_PIN, 4),
    (DenialReason.UNKNOWN_CARD, 5),
    (DenialReason.BLOCKED_CARD, 6),
    (DenialReason.UNDER_AGE, 7),
)
#: The branches whose doors were asked while the library system was away, from 19:05 to 19:30.
OUTAGE_BRANCHES = ("haroy", "alesund-sentrum", "skodje")
OUTAGE_FROM, OUTAGE_UNTIL = time(19, 5), time(19, 30)
#: Days ago of the tailgating and alarms always shown; before the last three weeks they come by
#: chance (:data:`~tvers_cli.demo.counts_and_alarms.NOW_AND_THEN`).
TAILGATING_DAYS_AGO = (2, 5, 16)
ALARM_DAYS_AGO = ((4, DoorAlarmKind.HELD_OPEN), (11, DoorAlarmKind.FORCED))
#: How far from a planned presentation no ordinary arrival comes to the same door.
CLEARANCE = timedelta(minutes=5)


@dataclass
class Incidents:
    """What the demo makes happen, by the order the fill sends it in."""

    #: Presentations sent with the ordinary ones (planned refusals, grants before a count).
    presentations: list[tuple[Presentation, ...]] = field(default_factory=list)
    #: Presentations sent while the library system is stopped, and when that was.
    outage: list[Presentation] = field(default_factory=list)
    outage_window: tuple[datetime, datetime] | None = None
    #: Counter reports, sent after the presentations they follow.
    counts: list[CounterReading] = field(default_factory=list)
    #: Counter reports of people left inside, sent before the schedules (see ``left_inside``).
    left_inside: list[CounterReading] = field(default_factory=list)
    alarms: list[DoorAlarm] = field(default_factory=list)

    def leaves_room_for(self, arrival: tuple[Presentation, ...]) -> bool:
        """Whether an ordinary arrival keeps clear of what is planned: of the planned
        presentations at its door (whose grants a count must find alone, whose child must come
        without the guardian), and of the outage at every door."""
        planned = [p for planned in self.presentations for p in planned] + self.outage
        for p in arrival:
            if self.outage_window is not None:
                start, end = self.outage_window
                if start - CLEARANCE <= p.presented_at <= end + CLEARANCE:
                    return False
            if any(
                q.door_id == p.door_id and abs(q.presented_at - p.presented_at) <= CLEARANCE
                for q in planned
            ):
                return False
        return True


def plan(
    people: People, branches: Sequence[Branch], today: date, until: datetime, older: Sequence[date]
) -> Incidents:
    """Everything the demo makes happen up to ``until``; ``older`` are the days before the
    last three weeks, where alarms and tailgating come by chance."""
    found = Incidents()
    found.presentations += [(p,) for p in attempts(people, branches, today)]
    found.outage = outage(people, branches, today)
    found.outage_window = outage_window(today)
    tailgated = {
        (day, _pick("tailgating", branches, day))
        for day in (today - timedelta(days=n) for n in TAILGATING_DAYS_AGO)
    }
    alarmed = {
        (day, _pick(f"alarm-{kind}", branches, day), kind)
        for day, kind in ((today - timedelta(days=n), kind) for n, kind in ALARM_DAYS_AGO)
    }
    for day in older:
        for branch in branches:
            if now_and_then("tailgating", branch, day) is not None:
                tailgated.add((day, branch))
            if (rng := now_and_then("alarm", branch, day)) is not None:
                alarmed.add((day, branch, rng.choice(list(DoorAlarmKind))))
    for day, branch in sorted(tailgated, key=lambda t: (t[0], t[1].branch_id)):
        granted, counted = tailgating(people, branch, day)
        found.presentations.append((granted,))
        found.counts += counted
    found.alarms = [
        alarm(branch, day, kind)
        for day, branch, kind in sorted(alarmed, key=lambda a: (a[0], a[1].branch_id, a[2]))
    ]
    inside, found.left_inside = left_inside(people, branches, until)
    found.presentations += [(p,) for p in inside]
    return found


def _pick(what: str, branches: Sequence[Branch], day: date) -> Branch:
    """The branch where ``what`` happened on a day."""
    return random.Random(f"demo-{what}-{day.isoformat()}").choice(branches)  # noqa: S311


def attempts(people: People, branches: Sequence[Branch], today: date) -> list[Presentation]:
    """One refusal of each kind but the unreachable library system, in the last week."""
    planned = []
    for reason, days_ago in ATTEMPTS:
        day = today - timedelta(days=days_ago)
        key = f"demo-attempt-{day.isoformat()}-{reason}"
        rng = random.Random(key)  # noqa: S311 - demo data, not secrets
        branch = rng.choice(branches)
        if reason is DenialReason.OUTSIDE_MEIROPE_HOURS:  # every demo branch is closed then
            at = datetime.combine(day, time(23, rng.randrange(50), rng.randrange(60)), ZONE)
        else:
            at = evening(branch, day, rng, room=timedelta(minutes=30))
        patron = rng.choice(_who(people, reason, day))
        card, pin = patron.card, patron.pin
        if reason is DenialReason.WRONG_PIN:
            pin = f"{(int(pin) + 1) % 10000:04d}"
        elif reason is DenialReason.UNKNOWN_CARD:
            card = f"DEMO{990000 + days_ago}"
        planned.append(Presentation(key, branch.door_id, card, pin, at, expect=reason))
    return planned


def _who(people: People, reason: DenialReason, day: date) -> Sequence[DemoPatron]:
    """Who tries the door to be refused for ``reason``."""
    if reason is DenialReason.NO_AGREEMENT:
        return [p for p in people.unsigned if not p.blocked]
    if reason is DenialReason.SUSPENDED:
        return [p for p in people.signed if p.card in people.suspended and not p.blocked]
    if reason is DenialReason.BLOCKED_CARD:
        return [p for p in people.by_card.values() if p.blocked]
    if reason is DenialReason.UNDER_AGE:  # alone, too young to come without the guardian
        return [p for p in people.signed if p.is_child and age(p, day) < UNACCOMPANIED_MIN_AGE]
    return people.admitted


def age(patron: DemoPatron, day: date) -> int:
    """A patron's age in whole years on a day (a hundred when nobody knows)."""
    born = patron.birth_date
    if born is None:
        return 100
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def outage_day(today: date) -> date:
    """The evening the library system was away: the last Tuesday at least eight days ago (a
    day with no other planned presentation, which would have been asked while it was up)."""
    day = today - timedelta(days=8)
    return day - timedelta(days=(day.isoweekday() - 2) % 7)


def outage(people: People, branches: Sequence[Branch], today: date) -> list[Presentation]:
    """Presentations while the library system was away: refused where the branch fails closed,
    let in (unverified) where it lets agreement holders in."""
    day = outage_day(today)
    planned = []
    for branch in (b for b in branches if b.branch_id in OUTAGE_BRANCHES):
        expect = (
            GRANTED
            if branch.when_unreachable is UnreachablePolicy.AGREEMENT_HOLDERS
            else DenialReason.LIBRARY_SYSTEM_UNREACHABLE
        )
        for n in range(3):
            key = f"demo-outage-{day.isoformat()}-{branch.branch_id}-{n}"
            rng = random.Random(key)  # noqa: S311 - demo data, not secrets
            at = datetime.combine(day, time(19, 8 + 7 * n, rng.randrange(60)), ZONE)
            patron = rng.choice(people.admitted)
            planned.append(
                Presentation(key, branch.door_id, patron.card, patron.pin, at, expect=expect)
            )
    return planned


def outage_window(today: date) -> tuple[datetime, datetime]:
    """From when to when the library system was away."""
    day = outage_day(today)
    return datetime.combine(day, OUTAGE_FROM, ZONE), datetime.combine(day, OUTAGE_UNTIL, ZONE)
