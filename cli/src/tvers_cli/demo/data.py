"""The demo data set: Ålesund's innbyggartorg sites and more branches, their schedules and doors,
patrons with agreements, three weeks of door presentations, volunteer shifts and claims, and class
visits of this school year. Deterministic: the same day gives the same data, so a second fill
sends the very same requests (with the same idempotency keys) and duplicates nothing."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tvers_cli.demo.patrons import DemoPatron, demo_patrons

ZONE = ZoneInfo("Europe/Oslo")
#: Below this age a child comes in only right after the guardian, at every demo branch.
UNACCOMPANIED_MIN_AGE = 12
_VOLUNTEERS = uuid.UUID("0b5d6b62-5a39-4b0e-9d54-3c7e2f1a8e10")


@dataclass(frozen=True)
class Period:
    weekday: int
    starts: str
    ends: str
    kind: str


@dataclass(frozen=True)
class Branch:
    branch_id: str
    name: str
    meirope_min_age: int
    periods: tuple[Period, ...]

    @property
    def door_id(self) -> str:
        return f"{self.branch_id}-hovuddor"


def _week(
    staffed: tuple[str, str] | None, meirope: list[tuple[str, str]], days: range
) -> list[Period]:
    periods = []
    for weekday in days:
        if staffed is not None:
            periods.append(Period(weekday, staffed[0], staffed[1], "staffed"))
        periods += [Period(weekday, start, end, "meirope") for start, end in meirope]
    return periods


def _schedule(
    staffed_weekdays: tuple[str, str],
    meirope: list[tuple[str, str]],
    weekend: list[tuple[str, str]],
) -> tuple[Period, ...]:
    return tuple(_week(staffed_weekdays, meirope, range(1, 6)) + _week(None, weekend, range(6, 8)))


BRANCHES: tuple[Branch, ...] = (
    Branch(
        "alesund-sentrum",
        "Ålesund sentrum",
        15,
        _schedule(
            ("10:00", "18:00"), [("07:00", "10:00"), ("18:00", "22:00")], [("09:00", "20:00")]
        ),
    ),
    Branch(
        "brattvag",
        "Brattvåg",
        16,
        _schedule(
            ("11:00", "15:00"), [("08:00", "11:00"), ("15:00", "21:00")], [("10:00", "18:00")]
        ),
    ),
    Branch(
        "haroy",
        "Harøy",
        16,
        _schedule(("12:00", "16:00"), [("16:00", "21:00")], [("11:00", "17:00")]),
    ),
    Branch(
        "skodje",
        "Skodje",
        15,
        _schedule(
            ("10:00", "15:00"), [("07:00", "10:00"), ("15:00", "22:00")], [("10:00", "20:00")]
        ),
    ),
    Branch(
        "sjoholt",
        "Sjøholt",
        18,
        _schedule(("11:00", "15:00"), [("15:00", "21:00")], [("10:00", "16:00")]),
    ),
    Branch(
        "spjelkavik",
        "Spjelkavik",
        15,
        _schedule(
            ("10:00", "17:00"), [("07:00", "10:00"), ("17:00", "22:00")], [("09:00", "21:00")]
        ),
    ),
    Branch(
        "ellingsoy",
        "Ellingsøy",
        16,
        _schedule(("12:00", "16:00"), [("16:00", "21:00")], [("12:00", "18:00")]),
    ),
)


@dataclass(frozen=True)
class School:
    school_id: str
    name: str
    school_type: str
    nearest_branch_id: str

    @property
    def grades(self) -> tuple[int, ...]:
        """The grades that visit: 2nd at a primary school, 9th at a lower secondary, both at a
        combined one."""
        return {"primary": (2,), "lower_secondary": (9,)}.get(self.school_type, (2, 9))


SCHOOLS: tuple[School, ...] = (
    School("aspoy-skule", "Aspøy skule", "combined", "alesund-sentrum"),
    School("volsdalsberga-skule", "Volsdalsberga skule", "combined", "alesund-sentrum"),
    School("hessa-skule", "Hessa skule", "combined", "alesund-sentrum"),
    School("blindheim-barneskule", "Blindheim barneskule", "primary", "spjelkavik"),
    School("spjelkavik-ungdomsskule", "Spjelkavik ungdomsskule", "lower_secondary", "spjelkavik"),
    School("brattvag-skule", "Brattvåg skule", "combined", "brattvag"),
    School("haroy-skule", "Harøy skule", "combined", "haroy"),
    School("skodje-skule", "Skodje skule", "combined", "skodje"),
    School("sjoholt-skule", "Sjøholt skule", "combined", "sjoholt"),
    School("ellingsoy-skule", "Ellingsøy skule", "combined", "ellingsoy"),
)


@dataclass(frozen=True)
class Agreement:
    card_number: str
    guardian_card_number: str | None = None


@dataclass(frozen=True)
class Presentation:
    key: str
    door_id: str
    card_number: str
    pin: str
    presented_at: datetime


@dataclass(frozen=True)
class ShiftPlan:
    key: str
    branch_id: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    volunteers: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class VisitPlan:
    key: str
    school_id: str
    branch_id: str
    grade: int
    class_label: str
    held_on: date
    pupils: int
    cards: int


@dataclass
class DemoData:
    """Everything the fill sends, in the order it sends it."""

    today: date
    branches: tuple[Branch, ...] = BRANCHES
    schools: tuple[School, ...] = SCHOOLS
    patrons: list[DemoPatron] = field(default_factory=list)
    signed: list[Agreement] = field(default_factory=list)
    #: Agreements staff suspended (someone let strangers in): their doors stay shut.
    suspended: list[str] = field(default_factory=list)
    #: Each arrival is one presentation, or a guardian's and then the child's, in that order.
    presentations: list[tuple[Presentation, ...]] = field(default_factory=list)
    volunteers: list[uuid.UUID] = field(default_factory=list)
    shifts: list[ShiftPlan] = field(default_factory=list)
    visits: list[VisitPlan] = field(default_factory=list)


def _arrival(rng: random.Random, branch: Branch, day: date) -> datetime:
    """When a patron comes: mostly in opening hours, now and then when the branch is closed."""
    periods = [p for p in branch.periods if p.weekday == day.isoweekday()]
    if not periods or rng.random() < 0.08:
        minute = rng.randint(6 * 60, 23 * 60)
    else:
        period = rng.choices(periods, weights=[_length(p) for p in periods])[0]
        start = time.fromisoformat(period.starts)
        minute = start.hour * 60 + start.minute + rng.randint(0, _length(period) - 1)
    return datetime.combine(day, time(minute // 60, minute % 60), ZONE)


def _length(period: Period) -> int:
    start, end = time.fromisoformat(period.starts), time.fromisoformat(period.ends)
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def volunteer_id(number: int) -> uuid.UUID:
    """The opaque id of demo volunteer ``number``."""
    return uuid.uuid5(_VOLUNTEERS, f"demo-volunteer-{number}")


def build(today: date, now: datetime, *, days: int = 21) -> DemoData:
    """The data set for ``today`` (presentations up to ``now``)."""
    rng = random.Random(f"alesund-{today.isoformat()}")  # noqa: S311 - demo data, not secrets
    data = DemoData(today)
    data.patrons = demo_patrons()
    # Every fourth adult never signed, but every guardian did (before the children sign).
    guardians = {p.guardian for p in data.patrons}
    data.signed = [
        Agreement(p.card, p.guardian)
        for n, p in enumerate(data.patrons)
        if n % 4 != 3 or p.card in guardians
    ]
    data.suspended = [a.card_number for a in data.signed[5::60] if a.guardian_card_number is None]
    data.presentations = _presentations(rng, data.patrons, today, now, days)
    data.volunteers = [volunteer_id(n) for n in range(50)]
    data.shifts = _shifts(rng, data.volunteers, today)
    data.visits = _visits(rng, today)
    return data


def _presentations(
    rng: random.Random, patrons: list[DemoPatron], today: date, now: datetime, days: int
) -> list[tuple[Presentation, ...]]:
    """Arrivals through the days: now and then a mistyped PIN or an unknown card, and a child
    right after the guardian at the same door."""
    by_card = {p.card: p for p in patrons}
    presentations: list[tuple[Presentation, ...]] = []
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        for branch in BRANCHES:
            for index in range(rng.randint(6, 28)):
                moment = _arrival(rng, branch, day)
                if moment >= now:
                    continue
                patron = rng.choice(patrons)
                key = f"demo-{day.isoformat()}-{branch.branch_id}-{index}"
                card, pin = patron.card, patron.pin
                chance = rng.random()
                if chance < 0.03:
                    pin = f"{(int(pin) + 1) % 10000:04d}"  # a mistyped PIN
                elif chance < 0.04:
                    card = f"DEMO{900000 + index}"  # a card the library does not know
                arrival: tuple[Presentation, ...] = (
                    Presentation(key, branch.door_id, card, pin, moment),
                )
                if patron.guardian is not None and rng.random() < 0.8:  # some come alone
                    guardian = by_card[patron.guardian]
                    first = moment - timedelta(seconds=20)
                    arrival = (
                        Presentation(
                            f"{key}-guardian", branch.door_id, guardian.card, guardian.pin, first
                        ),
                        *arrival,
                    )
                presentations.append(arrival)
    return presentations


def _shifts(rng: random.Random, volunteers: list[uuid.UUID], today: date) -> list[ShiftPlan]:
    shifts = []
    for offset in range(1, 15):
        day = today + timedelta(days=offset)
        for branch in BRANCHES:
            for start in ("16:00", "18:00") if branch.branch_id != "haroy" else ("17:00",):
                starts = datetime.combine(day, time.fromisoformat(start), ZONE)
                shifts.append(
                    ShiftPlan(
                        key=f"demo-shift-{branch.branch_id}-{day.isoformat()}-{start}",
                        branch_id=branch.branch_id,
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=2),
                        capacity=2,
                        volunteers=tuple(rng.sample(volunteers, rng.randint(0, 2))),
                    )
                )
    return shifts


def _visits(rng: random.Random, today: date) -> list[VisitPlan]:
    """Some classes of each school visited this school year (from August); others not yet."""
    school_year_start = date(today.year, 8, 20)
    if school_year_start > today:  # before 20 August: the school year that began last August
        school_year_start = date(today.year - 1, 8, 20)
    span = max((today - school_year_start).days, 1)
    visits = []
    for school in SCHOOLS:
        school_id, branch_id = school.school_id, school.nearest_branch_id
        for grade in school.grades:
            for class_label in (f"{grade}A", f"{grade}B"):
                if rng.random() < 0.35:
                    continue  # not visited yet this school year
                pupils = rng.randint(16, 28)
                visits.append(
                    VisitPlan(
                        key=f"demo-visit-{school_id}-{class_label}-{school_year_start.year}",
                        school_id=school_id,
                        branch_id=branch_id,
                        grade=grade,
                        class_label=class_label,
                        held_on=school_year_start + timedelta(days=rng.randint(0, span - 1)),
                        pupils=pupils,
                        cards=pupils - rng.randint(0, 4) if grade == 2 else rng.randint(0, 5),
                    )
                )
    return visits
