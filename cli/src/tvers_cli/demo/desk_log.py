"""The desk log's year for the demo (decision 0045): help recorded at the five innbyggartorg
sites by the library, the citizen service and the volunteer centre. Pure: the plan only
(:mod:`.fill_desk` sends it).

The story it tells: at Ålesund sentrum, Brattvåg and Sjøholt each department keeps to its own
work (the library to its services and the printer, the citizen service to forms, BankID and
municipal services, the volunteer centre to volunteering), and only digital help is shared by
the library and the volunteer centre. At Skodje and Harøy the three already help with the same
things (digital help, BankID, printing, forms) and send citizens across more often: the overlap
the co-location question asks about. Now and then a record is undone, a minute or few after it
was made. Weekdays in opening hours, fewer in July, none at Christmas or on 1 and 17 May.

The plan is made from the day it runs up to and nothing else (a seeded generator), so a later
fill on the same data folder makes the same records under the same keys, and adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from tvers_cli.demo.places import ZONE
from tvers_contracts.events.desk import Channel, Department, Duration, UndoReason

LIBRARY, CITIZEN, VOLUNTEER = (
    Department.LIBRARY,
    Department.CITIZEN_SERVICE,
    Department.VOLUNTEER_CENTRE,
)
#: What each department helps with on its own, by weight.
OWN: dict[Department, dict[str, float]] = {
    LIBRARY: {"library-services": 0.45, "digital-help": 0.3, "printing-scanning": 0.25},
    CITIZEN: {
        "municipal-services": 0.3,
        "forms-applications": 0.3,
        "bankid-id-porten": 0.3,
        "other": 0.1,
    },
    VOLUNTEER: {"volunteering-activities": 0.55, "digital-help": 0.45},
}
#: What all three could help with: where they overlap when they share a desk.
SHARED = ("digital-help", "bankid-id-porten", "printing-scanning", "forms-applications")
#: Whose work a category is: a citizen helped with it elsewhere is sent on there.
OWNER: dict[str, Department] = {
    "library-services": LIBRARY,
    "printing-scanning": LIBRARY,
    "digital-help": LIBRARY,
    "municipal-services": CITIZEN,
    "forms-applications": CITIZEN,
    "bankid-id-porten": CITIZEN,
    "other": CITIZEN,
    "volunteering-activities": VOLUNTEER,
}
UNDONE_SHARE = 0.015
T = TypeVar("T")


@dataclass(frozen=True)
class Site:
    """A site's day: how many records on an ordinary weekday, which departments make them,
    how often one helps outside its own work, and how often a citizen is sent on."""

    site_id: str
    per_day: float
    departments: dict[Department, float]
    shared_share: float
    referral_share: float


SITES = (
    Site("alesund-sentrum", 6, {LIBRARY: 0.5, CITIZEN: 0.35, VOLUNTEER: 0.15}, 0.0, 0.08),
    Site("brattvag", 3, {LIBRARY: 0.5, CITIZEN: 0.3, VOLUNTEER: 0.2}, 0.0, 0.08),
    Site("sjoholt", 2, {LIBRARY: 0.5, CITIZEN: 0.3, VOLUNTEER: 0.2}, 0.0, 0.08),
    Site("skodje", 4, {LIBRARY: 0.4, CITIZEN: 0.35, VOLUNTEER: 0.25}, 0.4, 0.2),
    Site("haroy", 3, {LIBRARY: 0.4, CITIZEN: 0.3, VOLUNTEER: 0.3}, 0.4, 0.2),
)
CHANNELS = {Channel.IN_PERSON: 0.75, Channel.PHONE: 0.18, Channel.EMAIL: 0.07}
DURATIONS = {
    Duration.UNDER_5_MINUTES: 0.4,
    Duration.FROM_5_TO_15_MINUTES: 0.45,
    Duration.OVER_15_MINUTES: 0.15,
}


@dataclass(frozen=True)
class DeskRecord:
    """One help record: when, where, by whom, what with; and when it was undone, if it was."""

    key: str
    site: str
    department: Department
    category_id: str
    channel: Channel
    duration: Duration
    referred_to: Department | None
    at: datetime
    undone_at: datetime | None = None
    undo_reason: UndoReason = UndoReason.RECORDED_BY_MISTAKE

    def body(self) -> dict[str, str | None]:
        """The request's body, as the desk's page sends it."""
        return {
            "site": self.site,
            "department": self.department.value,
            "category_id": self.category_id,
            "channel": self.channel.value,
            "duration": self.duration.value,
            "referred_to": None if self.referred_to is None else self.referred_to.value,
        }


def year_of_records(until: date) -> list[DeskRecord]:
    """The records of the year before ``until`` (not including it), in time order."""
    rng = random.Random(f"desk-{until.isoformat()}")  # noqa: S311 - demo data, not secrets
    records = [
        record
        for day in (until - timedelta(days=n) for n in range(365, 0, -1))
        for site in SITES
        for record in _day(site, day, rng)
    ]
    return sorted(records, key=lambda r: r.at)


def _closed(day: date) -> bool:
    christmas = (day.month, day.day) >= (12, 24) or (day.month, day.day) <= (1, 1)
    return day.weekday() >= 5 or christmas or (day.month, day.day) in ((5, 1), (5, 17))


def _pick(rng: random.Random, weights: dict[T, float]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day(site: Site, day: date, rng: random.Random) -> list[DeskRecord]:
    if _closed(day):
        return []
    mean = site.per_day * (0.4 if day.month == 7 else 1.0)
    count = max(0, round(rng.gauss(mean, mean**0.5)))
    closes = time(18) if day.weekday() == 3 else time(15, 30)  # long Thursdays
    opens = datetime.combine(day, time(9), ZONE)
    minutes = int((datetime.combine(day, closes, ZONE) - opens).total_seconds() // 60)
    return [_record(site, day, n, opens, minutes, rng) for n in range(count)]


def record_now(site: Site, key: str, rng: random.Random) -> DeskRecord:
    """A record to send now (the live demo): the time is the service's when it arrives."""
    return _help(site, key, datetime.now(ZONE), rng)


def _record(
    site: Site, day: date, n: int, opens: datetime, minutes: int, rng: random.Random
) -> DeskRecord:
    at = opens + timedelta(minutes=rng.randrange(minutes), seconds=rng.randrange(60))
    record = _help(site, f"demo-desk-{site.site_id}-{day.isoformat()}-{n}", at, rng)
    if rng.random() < UNDONE_SHARE:
        undone_at = at + timedelta(minutes=rng.randint(1, 4))
        return replace(record, undone_at=undone_at, undo_reason=rng.choice(list(UndoReason)))
    return record


def _help(site: Site, key: str, at: datetime, rng: random.Random) -> DeskRecord:
    department = _pick(rng, site.departments)
    if rng.random() < site.shared_share:
        category = rng.choice(SHARED)
    else:
        category = _pick(rng, OWN[department])
    referred_to: Department | None = None
    if rng.random() < site.referral_share:
        owner = OWNER[category]
        others = [d for d in Department if d is not department]
        referred_to = owner if owner is not department else rng.choice(others)
    return DeskRecord(
        key=key,
        site=site.site_id,
        department=department,
        category_id=category,
        channel=_pick(rng, CHANNELS),
        duration=_pick(rng, DURATIONS),
        referred_to=referred_to,
        at=at,
    )
