"""The ordinary door traffic of a school year: patrons at the branches' doors, more after work
and school than in the morning and late in the evening, more in the dark months than in the
summer holidays, now and then at a closed door, with a mistyped PIN or a card the library does
not know, and children right after their guardians.

The last three weeks (the dashboard's recent days) are dense; the months before are sparse, a
few arrivals a branch and day. Each branch's day draws from a random source of its own, and each
arrival too, so the sparse days are the first arrivals of the same days in full: a day that
grows older keeps what was sent for it, whichever day the demo runs.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from tvers_cli.demo.patrons import DemoPatron
from tvers_cli.demo.places import ZONE, Branch
from tvers_cli.demo.plans import Presentation

#: Days before today kept dense.
RECENT_DAYS = 21
#: Arrivals at a branch on a day of the last three weeks: at least, at most.
DENSE = (4, 20)
#: Mean arrivals at a branch on a day before that, by month (few in the summer holidays).
SPARSE_BY_MONTH = {
    1: 1.2, 2: 1.2, 3: 1.0, 4: 1.0, 5: 1.0, 6: 0.7,
    7: 0.4, 8: 0.8, 9: 1.0, 10: 1.0, 11: 1.2, 12: 1.1,
}  # fmt: skip
#: How often patrons come in each hour, weekdays and weekends (relative; 06:00 to midnight).
WEEKDAY_HOURS = (0.3, 1.2, 1.6, 1.4, 1.6, 2, 2.4, 2.4, 3, 4.5, 6, 7, 6.5, 5, 3.2, 1.6, 0.5, 0.2)
WEEKEND_HOURS = (0.1, 0.2, 0.5, 1.5, 3, 4.5, 5, 5, 4.5, 4, 3.5, 3, 2.5, 2, 1.2, 0.6, 0.2, 0.1)
FIRST_HOUR = 6
#: How much less often someone tries a door while the branch is closed.
CLOSED = 0.25
#: Quarter hours from 06:00, as minutes of the day.
SLOTS = tuple(range(FIRST_HOUR * 60, 24 * 60, 15))
#: Shares of arrivals: a patron without an agreement, a mistyped PIN, an unknown card.
NO_AGREEMENT, MISTYPED_PIN, UNKNOWN_CARD = 0.03, 0.03, 0.01
#: How many children come with their guardian (the others alone).
WITH_GUARDIAN = 0.8


@dataclass(frozen=True)
class People:
    """The demo's patrons as the door traffic draws them."""

    signed: tuple[DemoPatron, ...]
    unsigned: tuple[DemoPatron, ...]
    suspended: frozenset[str]
    by_card: dict[str, DemoPatron]

    @functools.cached_property
    def admitted(self) -> tuple[DemoPatron, ...]:
        """Adults the doors let in in meirope hours: signed, not suspended, not blocked."""
        return tuple(
            p
            for p in self.signed
            if not p.is_child and not p.blocked and p.card not in self.suspended
        )


def arrivals(
    people: People, branch: Branch, day: date, *, recent: bool
) -> list[tuple[Presentation, ...]]:
    """The arrivals at a branch's door on a day: each one presentation, or a guardian's and
    then the child's."""
    rng = random.Random(f"alesund-{branch.branch_id}-{day.isoformat()}")  # noqa: S311 - demo data
    dense = rng.randint(*DENSE)
    mean = SPARSE_BY_MONTH[day.month]
    sparse = min(dense, sum(rng.random() < mean / 3 for _ in range(3)))
    return [_arrival(people, branch, day, n) for n in range(dense if recent else sparse)]


def _arrival(people: People, branch: Branch, day: date, index: int) -> tuple[Presentation, ...]:
    key = f"demo-arrival-{day.isoformat()}-{branch.branch_id}-{index}"
    rng = random.Random(key)  # noqa: S311 - demo data, not secrets
    slot = rng.choices(SLOTS, cum_weights=_cumulative(branch, day.isoweekday()))[0]
    minute = slot + rng.randrange(15)
    moment = datetime.combine(day, time(minute // 60, minute % 60, rng.randrange(60)), ZONE)
    return arrival_at(people, branch, moment, key, index, rng)


def arrival_at(
    people: People,
    branch: Branch,
    moment: datetime,
    key: str,
    index: int,
    rng: random.Random,
) -> tuple[Presentation, ...]:
    """One arrival at a branch's door at ``moment``, drawn from ``rng``: a patron with an
    agreement or now and then without, a mistyped PIN or an unknown card now and then, and a
    child mostly right after the guardian (whose card is shown 20 seconds before)."""
    patron = rng.choice(people.unsigned if rng.random() < NO_AGREEMENT else people.signed)
    card, pin = patron.card, patron.pin
    chance = rng.random()
    if chance < MISTYPED_PIN:
        pin = f"{(int(pin) + 1) % 10000:04d}"
    elif chance < MISTYPED_PIN + UNKNOWN_CARD:
        card = f"DEMO{900000 + index}"
    arrival = Presentation(key, branch.door_id, card, pin, moment)
    if patron.guardian is None or rng.random() >= WITH_GUARDIAN:
        return (arrival,)
    guardian = people.by_card[patron.guardian]
    first = moment - timedelta(seconds=20)
    return (
        Presentation(f"{key}-guardian", branch.door_id, guardian.card, guardian.pin, first),
        arrival,
    )


def busy(moment: datetime) -> float:
    """How busy the doors are at ``moment`` (Oslo), as a share of the busiest hour of its kind
    of day (weekday or weekend); none before 06:00."""
    local = moment.astimezone(ZONE)
    hours = WEEKDAY_HOURS if local.isoweekday() <= 5 else WEEKEND_HOURS
    if local.hour < FIRST_HOUR:
        return 0.0
    return hours[local.hour - FIRST_HOUR] / max(hours)


def open_at(branch: Branch, moment: datetime) -> bool:
    """Whether the branch's schedule has it open (staffed or meirope) at ``moment``."""
    local = moment.astimezone(ZONE)
    return _open(branch, local.isoweekday(), local.hour * 60 + local.minute)


@functools.cache
def _cumulative(branch: Branch, weekday: int) -> list[float]:
    """The cumulative weights of the quarter hours of a weekday at a branch."""
    hours = WEEKDAY_HOURS if weekday <= 5 else WEEKEND_HOURS
    weights = [
        hours[slot // 60 - FIRST_HOUR] * (1.0 if _open(branch, weekday, slot) else CLOSED)
        for slot in SLOTS
    ]
    return list(accumulate(weights))


def _open(branch: Branch, weekday: int, minute: int) -> bool:
    def minutes(clock: str) -> int:
        at = time.fromisoformat(clock)
        return at.hour * 60 + at.minute

    return any(
        minutes(p.starts) <= minute < minutes(p.ends)
        for p in branch.periods
        if p.weekday == weekday
    )
