"""A believable year of events of every strand reporting reads, for the dashboard benchmark:
ten branches with weekly schedules (staffed and meirope hours) and a few holidays, card entries
and denials at their doors, people counters, alarms and closings with people inside; volunteer
hosts registered and their shifts in meirope hours, claimed, released, waitlisted, checked in
and out, with certificates; schools, their classes, class visits booked and held, deposits and
theme days. Built from the contracts, each in its stream at its next version, and published on
JetStream as the owners' relays would (:class:`tvers_reporting.testing.story.Story`).

The year is the 365 days up to ``now`` (Europe/Oslo), so that the dashboard's default period
and the current year's statistics hold figures; nothing happens after ``now``. The densities are
multiplied by ``scale`` (draws from a seeded generator): about 200,000 events at 1.0.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import nats

from tvers_contracts import DomainEvent, Envelope, event_subject
from tvers_contracts.events.access import (
    BranchRegistered,
    DayPeriod,
    DenialReason,
    DoorAlarmKind,
    DoorAlarmRaised,
    EntryDenied,
    EntryGranted,
    OccupantsRemainedAtClosing,
    PatronKeyDestroyed,
    PeopleCounted,
    ScheduleExceptionSet,
    TailgatingSuspected,
    WeeklyScheduleSet,
)
from tvers_contracts.events.visits import (
    ClassVisitBooked,
    ClassVisitHeld,
    DepositDelivered,
    DepositOrdered,
    DepositPrepared,
    DepositReturned,
    OrdererRole,
    Programme,
    SchoolClass,
    SchoolClassesSet,
    SchoolParticipants,
    SchoolRegistered,
    SchoolType,
    ThemeDayHeld,
    ThemeDayPlanned,
)
from tvers_contracts.events.volunteers import (
    AgeBand,
    CampaignRecorded,
    CertificateIssued,
    CertificateLocale,
    NoShowRecorded,
    PresentHost,
    PromotedFromWaitlist,
    RecruitmentChannel,
    ShiftClaimed,
    ShiftPublished,
    ShiftReleased,
    ShiftRole,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
    VolunteerRegistered,
    WaitlistJoined,
)
from tvers_contracts.values import OpeningKind
from tvers_reporting.testing.story import TENANT, Story
from tvers_runtime.relay import ensure_stream
from tvers_runtime.testing.schedules import weekly

OSLO = ZoneInfo("Europe/Oslo")
BRANCHES = {
    "sentrum": "Ålesund sentrum",
    "spjelkavik": "Spjelkavik",
    "brattvag": "Brattvåg",
    "haroy": "Harøy",
    "skodje": "Skodje",
    "sandoy": "Sandøy",
    "vatne": "Vatne",
    "stette": "Stette",
    "ellingsoy": "Ellingsøy",
    "hessa": "Hessa",
}
#: Branches with a people counter at the door.
COUNTED = ("sentrum", "spjelkavik", "brattvag", "haroy", "skodje", "vatne", "ellingsoy")
STAFF_ID = "staff:ab12"
#: Card entries an hour, at scale 1.0, in meirope and in staffed hours.
MEIROPE_ENTRIES_AN_HOUR = 3.0
STAFFED_ENTRIES_AN_HOUR = 0.8
DENIALS_A_DAY = 1.5
HOST_SHIFTS_A_DAY = 1.6
PUBLISH_WINDOW = 256
#: How long a publish may wait for JetStream's acknowledgement on a busy machine.
PUBLISH_TIMEOUT = 120.0


def _hours(day: date, at: str) -> datetime:
    """A local wall-clock time on ``day``, in UTC."""
    return datetime.combine(day, time.fromisoformat(at), OSLO).astimezone(UTC)


@dataclass
class Branch:
    """A branch's hours: staffed on weekdays (and Saturdays at some), meirope early and late."""

    branch_id: str
    staffed: dict[int, tuple[str, str]]
    meirope: dict[int, list[tuple[str, str]]]

    def periods(self, day: date) -> list[tuple[OpeningKind, datetime, datetime]]:
        weekday = day.isoweekday()
        found = [
            (OpeningKind.MEIROPE, _hours(day, a), _hours(day, b))
            for a, b in self.meirope.get(weekday, [])
        ]
        if weekday in self.staffed:
            a, b = self.staffed[weekday]
            found.append((OpeningKind.STAFFED, _hours(day, a), _hours(day, b)))
        return sorted(found, key=lambda p: p[1])


def branches() -> list[Branch]:
    """Ten branches: the town's two large ones staffed more, the rest mostly meirope."""
    made = []
    for n, branch_id in enumerate(BRANCHES):
        large = n < 2
        staffed = dict.fromkeys(range(1, 6), ("10:00", "18:00" if large else "15:00"))
        if large:
            staffed[6] = ("10:00", "15:00")
        meirope = {
            d: [("07:00", "10:00"), ("18:00" if large else "15:00", "22:00")] for d in range(1, 6)
        }
        meirope[6] = [("07:00", "10:00"), ("15:00", "22:00")] if large else [("07:00", "22:00")]
        meirope[7] = [("09:00", "21:00")]
        made.append(Branch(branch_id, staffed, meirope))
    return made


@dataclass
class Year:
    """The events, in the order they happened, and how to go on adding to their streams."""

    story: Story = field(default_factory=Story)
    #: The branch whose door the benchmark adds entries at, and its door.
    door: tuple[str, str] = ("haroy", "haroy-main")

    @property
    def envelopes(self) -> list[Envelope[DomainEvent]]:
        return self.story.envelopes


class _Builder:
    def __init__(self, now: datetime, scale: float, seed: int) -> None:
        self.now = now
        self.scale = scale
        self.rng = random.Random(seed)
        self.events: list[tuple[datetime, str, DomainEvent]] = []
        self.first = (now.astimezone(OSLO) - timedelta(days=365)).date()
        self.days = [self.first + timedelta(days=d) for d in range(1, 366)]

    def add(self, stream: str, at: datetime, payload: DomainEvent) -> None:
        if at <= self.now:
            self.events.append((at, stream, payload))

    def count(self, mean: float) -> int:
        """A draw of about ``mean * scale`` (Poisson by its normal approximation)."""
        expected = mean * self.scale
        if expected < 10:
            threshold, k, p = pow(2.718281828459045, -expected), 0, 1.0
            while True:
                p *= self.rng.random()
                if p < threshold:
                    return k
                k += 1
        return max(0, round(self.rng.gauss(expected, expected**0.5)))

    def at(self, start: datetime, end: datetime) -> datetime:
        seconds = (end - start).total_seconds()
        return start + timedelta(seconds=self.rng.uniform(0, seconds - 1))

    # ---------------------------------------------------------------- access
    def access(self, made: list[Branch]) -> None:
        before = datetime.combine(self.first, time(12), OSLO).astimezone(UTC) - timedelta(days=30)
        for branch in made:
            stream = f"branch-{branch.branch_id}"
            self.add(
                stream,
                before,
                BranchRegistered(
                    branch_id=branch.branch_id, name=BRANCHES[branch.branch_id], meirope_min_age=15
                ),
            )
            periods = [weekly(d, a, b, "staffed") for d, (a, b) in branch.staffed.items()] + [
                weekly(d, a, b, "meirope") for d, spans in branch.meirope.items() for a, b in spans
            ]
            self.add(
                stream,
                before + timedelta(hours=1),
                WeeklyScheduleSet(branch_id=branch.branch_id, periods=periods),
            )
            for holiday, label in self.holidays():
                self.add(
                    stream,
                    _hours(holiday, "09:00") - timedelta(days=20),
                    ScheduleExceptionSet(
                        branch_id=branch.branch_id,
                        date=holiday,
                        periods=[DayPeriod(starts="10:00", ends="14:00", kind=OpeningKind.MEIROPE)],
                        label=label,
                    ),
                )
        for branch in made:
            self.doors(branch)

    def holidays(self) -> list[tuple[date, str]]:
        holidays = ((12, 25), (12, 26), (1, 1), (5, 1), (5, 17))
        return [
            (day, f"Heilagdag {day.day}.{day.month}.")
            for day in self.days
            if (day.month, day.day) in holidays
        ]

    def ref(self, branch: str, day: date, person: int) -> str:
        return hashlib.md5(f"{branch}/{day:%Y-%m}/{person}".encode()).hexdigest()

    def doors(self, branch: Branch) -> None:
        door = f"{branch.branch_id}-main"
        stream = f"door-{door}"
        counter = 0
        holidays = dict(self.holidays())
        for day in self.days:
            periods = (
                [(OpeningKind.MEIROPE, _hours(day, "10:00"), _hours(day, "14:00"))]
                if day in holidays
                else branch.periods(day)
            )
            for kind, start, end in periods:
                hours = (end - start).total_seconds() / 3600
                rate = (
                    MEIROPE_ENTRIES_AN_HOUR
                    if kind is OpeningKind.MEIROPE
                    else STAFFED_ENTRIES_AN_HOUR
                )
                for _ in range(self.count(rate * hours)):
                    person = self.rng.randrange(180)
                    self.add(
                        stream,
                        self.at(start, end),
                        EntryGranted(
                            door_id=door,
                            branch_id=branch.branch_id,
                            patron_ref=self.ref(branch.branch_id, day, person),
                            opening=kind,
                            verified=kind is OpeningKind.MEIROPE,
                        ),
                    )
                if branch.branch_id in COUNTED:
                    hour = start
                    while hour < end:
                        counter += 1
                        mean = 24 if kind is OpeningKind.STAFFED else 8
                        visitors = max(1, round(self.rng.gauss(mean, mean**0.5)))
                        if self.rng.random() < self.scale:  # an hourly report, fewer at scale
                            self.add(
                                stream,
                                hour + timedelta(minutes=59),
                                PeopleCounted(
                                    door_id=door,
                                    branch_id=branch.branch_id,
                                    entries=visitors,
                                    exits=visitors,
                                    counted_at=hour + timedelta(minutes=59),
                                    sequence=counter,
                                ),
                            )
                        hour += timedelta(hours=1)
                if kind is OpeningKind.MEIROPE and self.rng.random() < 0.04 * self.scale:
                    self.add(
                        f"branch-{branch.branch_id}",
                        end + timedelta(minutes=2),
                        OccupantsRemainedAtClosing(
                            branch_id=branch.branch_id,
                            period_ends=end,
                            checked_at=end + timedelta(minutes=2),
                            count=self.rng.randint(1, 3),
                        ),
                    )
            for _ in range(self.count(DENIALS_A_DAY) if periods else 0):
                kind, start, end = self.rng.choice(periods)
                reason = self.rng.choice(
                    [DenialReason.WRONG_PIN, DenialReason.UNDER_AGE, DenialReason.BLOCKED_CARD]
                    if kind is OpeningKind.MEIROPE
                    else [DenialReason.BLOCKED_CARD, DenialReason.UNKNOWN_CARD]
                )
                self.add(
                    stream,
                    self.at(start, end),
                    EntryDenied(
                        door_id=door,
                        branch_id=branch.branch_id,
                        patron_ref=self.ref(branch.branch_id, day, self.rng.randrange(400)),
                        opening=kind,
                        reason=reason,
                    ),
                )
            if self.rng.random() < 0.05 * self.scale and periods:
                _, start, end = periods[-1]
                raised = self.at(start, end)
                self.add(
                    stream,
                    raised,
                    DoorAlarmRaised(
                        door_id=door,
                        branch_id=branch.branch_id,
                        kind=self.rng.choice(list(DoorAlarmKind)),
                        raised_at=raised,
                    ),
                )
            if self.rng.random() < 0.04 * self.scale and periods:
                _, start, end = periods[0]
                counted_at = self.at(start, end)
                self.add(
                    stream,
                    counted_at,
                    TailgatingSuspected(
                        door_id=door,
                        branch_id=branch.branch_id,
                        counted=2,
                        granted=1,
                        window_seconds=10,
                        counted_at=counted_at,
                    ),
                )
            if day.day == 1 and day.month in (2, 5, 8, 11):  # keys older than 90 days
                month = (day - timedelta(days=100)).replace(day=1)
                self.add(
                    f"retention-{branch.branch_id}",
                    _hours(day, "03:00"),
                    PatronKeyDestroyed(branch_id=branch.branch_id, month=month, retention_days=90),
                )

    # ------------------------------------------------------------ volunteers
    def volunteers(self, made: list[Branch]) -> None:
        start = datetime.combine(self.first, time(12), OSLO).astimezone(UTC)
        campaigns: list[UUID] = []
        for n in range(6):
            campaign = uuid4()
            campaigns.append(campaign)
            starts_on = self.days[n * 60]
            self.add(
                f"campaign-{campaign}",
                _hours(starts_on, "09:00"),
                CampaignRecorded(
                    campaign_id=campaign,
                    channel=self.rng.choice(
                        [RecruitmentChannel.MALL_STAND, RecruitmentChannel.VGS_VISIT]
                    ),
                    place="Moa Amfi" if n % 2 else "Spjelkavik vgs",
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=6),
                    staff_id=STAFF_ID,
                ),
            )
        people: list[UUID] = []
        for n in range(max(8, int(160 * self.scale))):
            volunteer = uuid4()
            people.append(volunteer)
            joined = start - timedelta(days=60) + timedelta(days=n * 300 / max(1, 160 * self.scale))
            chosen: UUID | None = self.rng.choice(campaigns) if n % 3 == 0 else None
            channel = (
                RecruitmentChannel.VGS_VISIT
                if chosen
                else self.rng.choice(
                    [
                        RecruitmentChannel.FRISKUS,
                        RecruitmentChannel.SOCIAL_MEDIA,
                        RecruitmentChannel.WORD_OF_MOUTH,
                        RecruitmentChannel.OTHER,
                    ]
                )
            )
            self.add(
                f"volunteer-{volunteer}",
                joined,
                VolunteerRegistered(
                    volunteer_id=volunteer,
                    age_band=self.rng.choice(list(AgeBand)),
                    vgs_student=chosen is not None,
                    channel=channel,
                    campaign_id=chosen,
                ),
            )
        served: dict[UUID, int] = {}
        ahead = [self.days[-1] + timedelta(days=d) for d in range(1, 15)]
        for branch in made:
            for day in [*self.days, *ahead]:
                evenings = [p for p in branch.periods(day) if p[0] is OpeningKind.MEIROPE]
                for _ in range(self.count(HOST_SHIFTS_A_DAY)):
                    if not evenings:
                        break
                    _, opens, closes = self.rng.choice(evenings)
                    starts = min(opens + timedelta(hours=self.rng.randint(0, 2)), closes)
                    self.shift(branch.branch_id, starts, people, served)
        for volunteer, minutes in served.items():
            if minutes >= 600 and self.rng.random() < 0.5:
                self.add(
                    f"volunteer-{volunteer}",
                    self.now - timedelta(days=self.rng.randint(1, 60)),
                    CertificateIssued(
                        volunteer_id=volunteer,
                        period_from=self.first,
                        period_to=self.days[-1],
                        minutes_served=minutes,
                        branches=[made[0].branch_id],
                        issued_by=STAFF_ID,
                        locale=CertificateLocale.NN,
                    ),
                )

    def shift(
        self, branch: str, starts: datetime, people: list[UUID], served: dict[UUID, int]
    ) -> None:
        shift_id = uuid4()
        stream = f"shift-{shift_id}"
        ends = starts + timedelta(hours=2)
        capacity = self.rng.choice([1, 2, 2, 3])
        self.add(
            stream,
            starts - timedelta(days=21),
            ShiftPublished(
                shift_id=shift_id,
                branch_id=branch,
                starts_at=starts,
                ends_at=ends,
                capacity=capacity,
                role=ShiftRole.HOST,
            ),
        )
        place = {"shift_id": shift_id, "branch_id": branch, "starts_at": starts, "ends_at": ends}
        claimers = self.rng.sample(people, min(len(people), self.rng.randint(0, capacity + 1)))
        taken = claimers[:capacity]
        waiting = claimers[capacity:]
        moment = starts - timedelta(days=14)
        for volunteer in taken:
            moment += timedelta(hours=self.rng.randint(1, 40))
            self.add(stream, moment, ShiftClaimed(volunteer_id=volunteer, **place))
        for volunteer in waiting:
            moment += timedelta(hours=3)
            self.add(stream, moment, WaitlistJoined(shift_id=shift_id, volunteer_id=volunteer))
        if taken and self.rng.random() < 0.08:
            gone = taken.pop()
            moment += timedelta(hours=5)
            self.add(stream, moment, ShiftReleased(volunteer_id=gone, **place))
            if waiting:
                promoted = waiting.pop(0)
                taken.append(promoted)
                self.add(
                    stream,
                    moment + timedelta(minutes=1),
                    PromotedFromWaitlist(volunteer_id=promoted, **place),
                )
        present: list[PresentHost] = []
        for volunteer in taken:
            if self.rng.random() < 0.05:
                self.add(
                    stream,
                    ends + timedelta(minutes=30),
                    NoShowRecorded(volunteer_id=volunteer, **place),
                )
                continue
            checked_in = starts + timedelta(minutes=self.rng.randint(-10, 10))
            present = [*present, PresentHost(volunteer_id=volunteer, checked_in_at=checked_in)]
            self.add(
                stream,
                checked_in,
                VolunteerCheckedIn(
                    volunteer_id=volunteer, present=present, checked_in_at=checked_in, **place
                ),
            )
        for host in list(present):
            checked_out = ends + timedelta(minutes=self.rng.randint(-15, 15))
            present = [p for p in present if p.volunteer_id != host.volunteer_id]
            self.add(
                stream,
                checked_out,
                VolunteerCheckedOut(
                    volunteer_id=host.volunteer_id,
                    present=present,
                    checked_in_at=host.checked_in_at,
                    checked_out_at=checked_out,
                    closed_by_rule=False,
                    **place,
                ),
            )
            if checked_out <= self.now:
                minutes = int((checked_out - host.checked_in_at).total_seconds() // 60)
                served[host.volunteer_id] = served.get(host.volunteer_id, 0) + minutes

    # ---------------------------------------------------------------- visits
    def visits(self, made: list[Branch]) -> None:
        register = f"school-register-{TENANT}"
        themes = f"theme-days-{TENANT}"
        schools = [(f"skule-{n:02d}", made[n % len(made)].branch_id) for n in range(30)]
        start = datetime.combine(self.first, time(9), OSLO).astimezone(UTC) - timedelta(days=40)
        for school, branch in schools:
            self.add(
                register,
                start,
                SchoolRegistered(
                    school_id=school,
                    name=f"Skule {school[-2:]}",
                    school_type=self.rng.choice(list(SchoolType)),
                    nearest_branch_id=branch,
                ),
            )
        years = sorted({self.school_year(day) for day in self.days})
        for year in years:
            first_of_august = date(int(year[:4]), 8, 1)
            for school, branch in schools:
                classes = [
                    SchoolClass(grade=g, class_label=f"{g}{c}", pupils=self.rng.randint(15, 26))
                    for g in (2, 9)
                    for c in "AB"[: self.rng.randint(1, 2)]
                ]
                self.add(
                    f"school-year-{TENANT}-{year}",
                    max(start, _hours(first_of_august, "09:00") - timedelta(days=30)),
                    SchoolClassesSet(school_id=school, school_year=year, classes=classes),
                )
                for each in classes:
                    self.class_visit(school, branch, year, each)
        for _ in range(max(1, int(160 * self.scale))):
            school, _branch = self.rng.choice(schools)
            ordered_on = self.rng.choice(self.days)
            deposit = uuid4()
            stream = f"deposit-{deposit}"
            self.add(
                stream,
                _hours(ordered_on, "09:00"),
                DepositOrdered(
                    deposit_id=deposit,
                    school_id=school,
                    theme=self.rng.choice(["Vikingtida", "Romfart", "Dyr i havet", "Eventyr"]),
                    books=self.rng.randint(15, 40),
                    wished_delivery_on=ordered_on + timedelta(days=10),
                    ordered_on=ordered_on,
                    ordered_by=OrdererRole.TEACHER,
                ),
            )
            prepared = ordered_on + timedelta(days=5)
            self.add(
                stream, _hours(prepared, "10:00"), DepositPrepared(deposit_id=deposit, books=30)
            )
            delivered = prepared + timedelta(days=4)
            self.add(
                stream,
                _hours(delivered, "11:00"),
                DepositDelivered(
                    deposit_id=deposit,
                    delivered_on=delivered,
                    due_on=delivered + timedelta(days=56),
                ),
            )
            returned = delivered + timedelta(days=self.rng.randint(40, 70))
            self.add(
                stream,
                _hours(returned, "12:00"),
                DepositReturned(deposit_id=deposit, returned_on=returned),
            )
        for n in range(max(1, int(20 * self.scale))):
            theme_day = uuid4()
            day = self.days[(n * 17 + 30) % len(self.days)]
            self.add(
                themes,
                _hours(day, "09:00") - timedelta(days=30),
                ThemeDayPlanned(
                    theme_day_id=theme_day,
                    topic=self.rng.choice(["Lesegleda", "Kjeldekritikk", "Teikneserieverkstad"]),
                    day=day,
                    branch_id=made[n % len(made)].branch_id,
                ),
            )
            taking_part = self.rng.sample(schools, 3)
            self.add(
                themes,
                _hours(day, "15:00"),
                ThemeDayHeld(
                    theme_day_id=theme_day,
                    participants=[
                        SchoolParticipants(school_id=s, participants=self.rng.randint(10, 60))
                        for s, _ in taking_part
                    ],
                ),
            )

    @staticmethod
    def school_year(day: date) -> str:
        first = day.year if day.month >= 8 else day.year - 1
        return f"{first}-{first + 1}"

    def class_visit(self, school: str, branch: str, year: str, each: SchoolClass) -> None:
        autumn = date(int(year[:4]), 9, 1)
        day = autumn + timedelta(days=self.rng.randint(0, 250))
        while day.isoweekday() > 5:
            day += timedelta(days=1)
        visit = uuid4()
        starts = _hours(day, "09:00")
        programme = Programme.SECOND_GRADE if each.grade == 2 else Programme.NINTH_GRADE
        where = {
            "visit_id": visit,
            "school_id": school,
            "school_year": year,
            "grade": each.grade,
            "class_label": each.class_label,
            "branch_id": branch,
            "programme": programme,
        }
        stream = f"classvisit-{visit}"
        self.add(
            stream,
            starts - timedelta(days=30),
            ClassVisitBooked(
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                expected_pupils=each.pupils,
                **where,
            ),
        )
        pupils = max(1, each.pupils - self.rng.randint(0, 3))
        self.add(
            stream,
            starts + timedelta(hours=2),
            ClassVisitHeld(
                held_on=day,
                pupils_present=pupils,
                library_cards_handed_out=self.rng.randint(0, pupils // 2),
                consent_forms_collected=self.rng.randint(0, pupils // 2),
                **where,
            ),
        )


def a_year(now: datetime, scale: float, seed: int = 10) -> Year:
    """The year up to ``now``, in the order it happened."""
    builder = _Builder(now, scale, seed)
    made = branches()
    builder.access(made)
    builder.volunteers(made)
    builder.visits(made)
    year = Year()
    for at, stream, payload in sorted(builder.events, key=lambda e: e[0]):
        year.story.add(stream, at, payload)
    return year


async def publish_all(nats_url: str, envelopes: list[Envelope[DomainEvent]]) -> None:
    """Publish the events on their owners' streams in order, up to :data:`PUBLISH_WINDOW` in
    flight at once (each publish is sent in the order it was made, so each stream keeps its
    order; the projections' dead letters, which the benchmark reports, would show if not)."""
    client = await nats.connect(nats_url)
    try:
        for service in sorted({type(e.payload).service for e in envelopes}):
            await ensure_stream(client.jsm(), service)
        stream = client.jetstream()
        # The first request sets up the client's reply subscription and waits for it, while
        # the requests after it would go out at once: send it alone, so none overtakes it.
        for each in envelopes[:1]:
            await stream.publish(
                event_subject(type(each.payload)),
                each.model_dump_json(serialize_as_any=True).encode(),
                timeout=PUBLISH_TIMEOUT,
            )
        for first in range(1, len(envelopes), PUBLISH_WINDOW):
            await asyncio.gather(
                *(
                    stream.publish(
                        event_subject(type(each.payload)),
                        each.model_dump_json(serialize_as_any=True).encode(),
                        timeout=PUBLISH_TIMEOUT,
                    )
                    for each in envelopes[first : first + PUBLISH_WINDOW]
                )
            )
    finally:
        await client.close()
