"""What the doors' counters and controllers report on purpose: two people in on one card
(tailgating), doors held open or forced, and people counted in before a closing and never
out (left inside). Each is planned from a random source named by its key (see
:mod:`tvers_cli.demo.plans`)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from tvers_access.domain import closing
from tvers_access.domain.occupancy_rules import OccupancyRules
from tvers_cli.demo.arrivals import People
from tvers_cli.demo.places import ZONE, Branch, evening
from tvers_cli.demo.plans import CounterReading, DoorAlarm, Presentation
from tvers_contracts.events.access import DoorAlarmKind

GRANTED = "granted"
#: How often, a branch and day, tailgating and alarms come by chance.
NOW_AND_THEN = 0.004
#: The scheduler checks closings this far back (the demo runs access with a look-back of 24
#: hours, its longest), less an hour for the fill to arrive.
CHECKED_BACK = timedelta(hours=23)


def tailgating(
    people: People, branch: Branch, day: date
) -> tuple[Presentation, list[CounterReading]]:
    """Two people in on one card: a grant, a count of two entries just after, and the two
    going out half an hour later."""
    key = f"demo-tailgating-{branch.door_id}-{day.isoformat()}"
    rng = random.Random(key)  # noqa: S311 - demo data, not secrets
    at = evening(branch, day, rng, room=timedelta(hours=1))
    patron = rng.choice(people.admitted)
    door = branch.door_id
    return Presentation(key, door, patron.card, patron.pin, at, expect=GRANTED), [
        CounterReading(f"{key}-in", door, entries=2, exits=0, counted_at=at + timedelta(seconds=4)),
        CounterReading(
            f"{key}-out", door, entries=0, exits=2, counted_at=at + timedelta(minutes=35)
        ),
    ]


def alarm(branch: Branch, day: date, kind: DoorAlarmKind) -> DoorAlarm:
    """A door held open in a meirope evening, or forced at night."""
    key = f"demo-alarm-{branch.door_id}-{day.isoformat()}-{kind}"
    rng = random.Random(key)  # noqa: S311 - demo data, not secrets
    if kind is DoorAlarmKind.HELD_OPEN:
        at = evening(branch, day, rng, room=timedelta(minutes=15))
    else:  # after 03:00, clear of the hour a daylight-saving change skips or repeats
        minute = rng.randrange(90)
        at = datetime.combine(day, time(3 + minute // 60, minute % 60, rng.randrange(60)), ZONE)
    return DoorAlarm(key, branch.door_id, kind, at)


def now_and_then(what: str, branch: Branch, day: date) -> random.Random | None:
    """A random source for ``what`` at a branch on a day, if it happened then (by chance)."""
    rng = random.Random(f"demo-{what}-odds-{branch.branch_id}-{day.isoformat()}")  # noqa: S311
    return rng if rng.random() < NOW_AND_THEN else None


def left_inside(
    people: People, branches: Sequence[Branch], until: datetime
) -> tuple[list[Presentation], list[CounterReading]]:
    """People let in and counted in before the two latest closings (at two branches) that the
    scheduler still checks, and never counted out: it finds them inside."""
    latest: dict[str, datetime] = {}
    for branch in branches:
        for item in closing.due(
            branch.schedule(), OccupancyRules(), since=until - CHECKED_BACK, now=until
        ):
            if item.kind is closing.DueKind.CHECK:
                latest[branch.branch_id] = item.closing.ends
    by_id = {b.branch_id: b for b in branches}
    two = sorted(latest.items(), key=lambda found: found[1], reverse=True)[:2]
    presentations, readings = [], []
    for branch_id, ends in two:
        door = by_id[branch_id].door_id
        key = f"demo-left-inside-{door}-{ends.astimezone(ZONE):%Y-%m-%dT%H%M}"
        rng = random.Random(key)  # noqa: S311 - demo data, not secrets
        for n in range(rng.randint(1, 3)):
            at = (ends - timedelta(minutes=50 - 9 * n, seconds=rng.randrange(60))).astimezone(ZONE)
            patron = rng.choice(people.admitted)
            presentations.append(
                Presentation(f"{key}-{n}", door, patron.card, patron.pin, at, expect=GRANTED)
            )
            readings.append(CounterReading(f"{key}-{n}-in", door, 1, 0, at + timedelta(seconds=3)))
    return presentations, readings
