"""The demo's school library beside the class visits (pure): book deposits in every status, one
theme day held and one to come, the school librarians' network, and the resource bank.

Deposits go by the service's clock: a deposit is delivered on or after the day it was ordered
and due after the day it was delivered, so one that is overdue was ordered weeks ago. So the
deposits of the weeks before the history's day are sent on the simulated clock (decision 0036),
each step at its moment: ordered by the school (its librarian or a teacher), prepared,
delivered (due eight weeks later, or on a day staff give), returned by the library, or
cancelled by either side. The theme day held is planned some weeks before it and recorded as
held on its day, on the simulated clock too. The theme day to come, the network and the pages
go to the running service now (the resource bank keeps no clock of its own)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tvers_cli.demo.places import ZONE
from tvers_cli.demo.plans import Call, Caller
from tvers_cli.demo.school_data import ThemeDayData, pages, school_library, schools
from tvers_runtime.auth import Role


@dataclass(frozen=True)
class Course:
    """A deposit's course, in days before the history's day: ordered, prepared, delivered
    (due eight weeks later unless ``due`` is given), its due date moved (when, to), returned
    or cancelled. ``status`` is where it ends."""

    status: str
    ordered: int
    prepared: int | None = None
    delivered: int | None = None
    due: int | None = None
    moved_due: tuple[int, int] | None = None
    returned: int | None = None
    cancelled: int | None = None
    by_library: bool = False

    def due_on(self, day: date) -> date | None:
        """Its due date, once delivered (the history running up to ``day``)."""
        if self.delivered is None:
            return None
        if self.moved_due is not None:
            return day - timedelta(days=self.moved_due[1])
        if self.due is not None:
            return day - timedelta(days=self.due)
        return workday(day - timedelta(days=self.delivered)) + timedelta(weeks=8)

    def overdue(self, day: date) -> bool:
        """Whether it is overdue on ``day``: delivered, not returned, due before."""
        due = self.due_on(day)
        return self.status == "delivered" and due is not None and due < day


COURSES = (
    Course("returned", 86, 83, 80, returned=27),
    Course("returned", 78, 76, 73, returned=20),
    Course("returned", 64, 61, 58, returned=4),
    Course("returned", 50, 48, 45, returned=10),
    Course("delivered", 82, 79, 77),  # due eight weeks later: three weeks overdue
    Course("delivered", 45, 43, 40, due=6),  # a short loan, six days overdue
    Course("delivered", 70, 68, 66, moved_due=(12, -21)),  # extended before it fell due
    Course("delivered", 30, 27, 24),
    Course("delivered", 22, 19, 15),
    Course("prepared", 9, 4),
    Course("prepared", 7, 2),
    Course("requested", 5),
    Course("requested", 1),
    Course("cancelled", 40, cancelled=36),
    Course("cancelled", 20, 17, cancelled=14, by_library=True),
)
#: The earliest a history's step lies before its day (the first deposit's order).
EARLIEST = timedelta(days=max(c.ordered for c in COURSES) + 3)


def workday(day: date) -> date:
    """``day``, or the Friday before it if it falls on a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _moment(day: date, days_before: int, hour: int, rng: random.Random) -> datetime:
    """A moment in the given hour of the workday ``days_before`` ``day``."""
    on = workday(day - timedelta(days=days_before))
    return datetime.combine(on, time(hour, rng.randrange(60)), ZONE)


def deposit_chains(day: date) -> list[list[Call]]:
    """Each deposit's steps, in order, on the simulated clock (all before ``day``)."""
    themes = school_library().deposit_themes
    rng = random.Random("demo-deposits")  # noqa: S311 - demo data, not secrets
    chosen = rng.sample(schools(), len(COURSES))
    return [
        _deposit(day, n, course, school_id=school.school_id, theme=themes[n % len(themes)])
        for n, (course, school) in enumerate(zip(COURSES, chosen, strict=True))
    ]


def _deposit(day: date, n: int, course: Course, *, school_id: str, theme: str) -> list[Call]:
    rng = random.Random(f"demo-deposit-{n}")  # noqa: S311 - demo data, not secrets
    school = next(s for s in schools() if s.school_id == school_id)
    for_class = rng.choice(school.classes) if n % 3 != 2 else None
    orderer = Caller(Role.SCHOOL_LIBRARIAN if n % 2 == 0 else Role.TEACHER, school_id)
    ordered_at = _moment(day, course.ordered, 8, rng)
    name, key = f"deposit {n}", f"demo-{day}-deposit-{n}"
    path = "/deposits/{id}"
    calls = [
        Call(
            key=f"{key}-order",
            method="POST",
            path="/deposits",
            body={
                "grade": None if for_class is None else for_class.grade,
                "class_label": None if for_class is None else for_class.label,
                "theme": theme,
                "books": rng.randrange(10, 41, 5),
                "wished_delivery_on": (ordered_at.date() + timedelta(days=10)).isoformat(),
            },
            caller=orderer,
            at=ordered_at,
            makes=name,
            id_field="deposit_id",
        )
    ]

    def step(what: str, days_before: int, hour: int, body: object = None) -> None:
        at = _moment(day, days_before, hour, rng)
        calls.append(Call(f"{key}-{what}", "POST", f"{path}/{what}", body, at=at, of=name))

    if course.prepared is not None:
        step("prepared", course.prepared, 10, {"books": rng.randrange(8, 41)})
    if course.delivered is not None:
        due = None if course.due is None else (day - timedelta(days=course.due)).isoformat()
        step("delivered", course.delivered, 12, {"due_on": due} if due else None)
    if course.moved_due is not None:
        when, to = course.moved_due
        step("due-date", when, 14, {"due_on": (day - timedelta(days=to)).isoformat()})
    if course.returned is not None:
        step("returned", course.returned, 15)
    if course.cancelled is not None:
        at = _moment(day, course.cancelled, 15, rng)
        by = calls[0].caller if not course.by_library else Caller(Role.STAFF)
        calls.append(Call(f"{key}-cancel", "POST", f"{path}/cancel", None, by, at, of=name))
    return calls


def theme_day_held(day: date) -> list[Call]:
    """The theme day some weeks ago: planned five weeks before it, recorded as held that
    afternoon with the participants of each school that came."""
    rng = random.Random(f"demo-theme-day-{day}")  # noqa: S311 - demo data, not secrets
    held_on = workday(day - timedelta(days=40))
    came = rng.sample(schools(), 9)
    participants = [{"school_id": s.school_id, "participants": rng.randint(1, 3)} for s in came]
    name, key = "theme day held", f"demo-{day}-theme-day-held"
    planned_at = _moment(held_on, 35, 10, rng)
    return [
        Call(
            f"{key}-plan",
            "POST",
            "/theme-days",
            _theme_day_body(school_library().held_theme_day, held_on),
            at=planned_at,
            makes=name,
            id_field="theme_day_id",
        ),
        Call(
            f"{key}-held",
            "POST",
            "/theme-days/{id}/held",
            {"participants": sorted(participants, key=lambda p: str(p["school_id"]))},
            at=datetime.combine(held_on, time(16), ZONE),
            of=name,
        ),
    ]


def theme_day_upcoming(day: date) -> Call:
    """The theme day to come, about a month after ``day``, planned now."""
    on = day + timedelta(days=30)
    on += timedelta(days=(1 - on.weekday()) % 7)  # a Tuesday
    body = _theme_day_body(school_library().upcoming_theme_day, on)
    return Call(f"demo-{day}-theme-day-upcoming", "POST", "/theme-days", body)


def _theme_day_body(data: ThemeDayData, on: date) -> dict[str, object]:
    return {
        "topic": data.topic,
        "day": on.isoformat(),
        "branch_id": data.branch_id,
        "place": data.place,
        "starts_at": data.starts,
        "ends_at": data.ends,
    }


def network_calls() -> list[Call]:
    """The school librarians' network: names only of those who agreed."""
    return [
        Call(
            f"demo-network-{n}",
            "POST",
            "/network/members",
            {"school_id": m.school_id, "role": m.role}
            | ({} if m.name is None else {"name": m.name, "email": m.email, "consent": True}),
        )
        for n, m in enumerate(school_library().network)
    ]


def page_calls() -> tuple[list[Call], list[Call]]:
    """The resource bank's pages, written by staff; then the second versions of some, by a
    school librarian of the network."""
    first, second = pages()
    librarian = Caller(Role.SCHOOL_LIBRARIAN, school_library().network[0].school_id)
    written = [
        Call(f"demo-page-{p.slug}", "POST", "/resource-pages", {"slug": p.slug, **p.body()})
        for p in first
    ]
    edits = [
        Call(
            f"demo-page-{p.slug}-v2",
            "PUT",
            f"/resource-pages/{p.slug}",
            {**p.body(), "base_version": 1},
            librarian,
        )
        for p in second
    ]
    return written, edits
