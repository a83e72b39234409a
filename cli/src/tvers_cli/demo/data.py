"""The demo data set: Ålesund's branches with their schedules, doors and rules, patrons with
agreements, a school year of door traffic (ordinary arrivals, and refusals of every kind, an
evening the library system was away, alarms, tailgating and people left inside at closing on
purpose). The volunteers' strand is :mod:`.history` (the past weeks) and :mod:`.fill_coming` (the
weeks to come); the school strand is :mod:`.school_strand`.

Deterministic: the data runs up to a moment (``until``), and every request is a function of its
idempotency key, so a second fill up to the same moment sends the very same requests and
duplicates nothing. A fill on a later day sends no door request that contradicts an earlier one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tvers_cli.demo import arrivals, incidents
from tvers_cli.demo.arrivals import RECENT_DAYS, People
from tvers_cli.demo.patrons import DemoPatron, demo_patrons
from tvers_cli.demo.places import BRANCHES, ZONE, Branch, school_year_start
from tvers_cli.demo.plans import Agreement, CounterReading, DoorAlarm, Presentation

#: How access must run to take the demo's door traffic: presentations and counts as old as the
#: school year (a door panel delivering what it held, at most 366 days back), and a scheduler
#: that checks the closings of the last 24 hours (its longest look-back) when it learns the
#: schedules, which the demo sets after the counts of people left inside.
ACCESS_SETTINGS = {"TVERS_BACKFILL_DAYS": "366", "TVERS_SCHEDULER_LOOK_BACK_MINUTES": "1440"}
#: How long the demo's branches keep each kind of door log: a school year and a month, so that
#: no month key or day log of the year is gone and a second fill can send the year again.
RETENTION_DAYS = 400


@dataclass
class DemoData:
    """Everything the fill sends, in the order it sends it."""

    today: date
    until: datetime
    branches: tuple[Branch, ...] = BRANCHES
    patrons: list[DemoPatron] = field(default_factory=list)
    signed: list[Agreement] = field(default_factory=list)
    #: Agreements staff suspended (someone let strangers in): their doors stay shut.
    suspended: list[str] = field(default_factory=list)
    #: Each arrival is one presentation, or a guardian's and then the child's, in that order.
    presentations: list[tuple[Presentation, ...]] = field(default_factory=list)
    #: Presented while the library system was away (the fill stops it for these).
    outage: list[Presentation] = field(default_factory=list)
    #: Counter reports of people left inside at closing (sent before the schedules).
    left_inside: list[CounterReading] = field(default_factory=list)
    #: Counter reports that follow the presentations (tailgating).
    counts: list[CounterReading] = field(default_factory=list)
    alarms: list[DoorAlarm] = field(default_factory=list)


def door_days(today: date) -> list[date]:
    """The days of door traffic: the school year so far, and at least the last three weeks."""
    first = min(school_year_start(today), today - timedelta(days=RECENT_DAYS))
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def build(until: datetime) -> DemoData:
    """The data set up to ``until`` (aware): what happened at the doors before it."""
    data = DemoData(until.astimezone(ZONE).date(), until)
    data.patrons = demo_patrons()
    # Every fourth adult never signed, but every guardian did (before the children sign).
    guardians = {p.guardian for p in data.patrons}
    data.signed = [
        Agreement(p.card, p.guardian)
        for n, p in enumerate(data.patrons)
        if n % 4 != 3 or p.card in guardians
    ]
    data.suspended = [a.card_number for a in data.signed[5::60] if a.guardian_card_number is None]
    _door_traffic(data, people(data))
    return data


def people(data: DemoData) -> People:
    """The patrons as the door traffic draws them: signed or not, suspended."""
    signed = {a.card_number for a in data.signed}
    return People(
        signed=tuple(p for p in data.patrons if p.card in signed),
        unsigned=tuple(p for p in data.patrons if p.card not in signed),
        suspended=frozenset(data.suspended),
        by_card={p.card: p for p in data.patrons},
    )


def _door_traffic(data: DemoData, people: People) -> None:
    today, until = data.today, data.until
    days = door_days(today)
    recent = today - timedelta(days=RECENT_DAYS)
    planned = incidents.plan(
        people, data.branches, today, until, older=[d for d in days if d < recent]
    )
    ordinary = [
        arrival
        for day in days
        for branch in data.branches
        for arrival in arrivals.arrivals(people, branch, day, recent=day >= recent)
        if planned.leaves_room_for(arrival)
    ]
    data.presentations = [
        arrival
        for arrival in ordinary + planned.presentations
        if all(p.presented_at < until for p in arrival)
    ]
    data.outage = [p for p in planned.outage if p.presented_at < until]
    data.left_inside = planned.left_inside
    data.counts = [c for c in planned.counts if c.counted_at < until]
    data.alarms = [a for a in planned.alarms if a.raised_at < until]
