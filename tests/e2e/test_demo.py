"""``tvers demo`` shows the dashboard's sign-in link first and fills every strand behind it; a
second run on the same data folder, with ``--live``, adds nothing but the live events, which keep
coming until it is stopped. The volunteers' strand, as the volunteers service's API shows it after
the first run: weeks of shifts behind (claims, waitlists, releases, check-ins and check-outs at the
shifts' times, no-shows and forgotten check-outs closed by the service's rule, certificates for vgs
students), proposals of the service's and shifts confirmed or published for the weeks ahead, and a
sign-in link that opens the volunteers' page. The school strand, as the visits service's API shows
it: the schools and their classes, visits held and booked ahead, classes not yet visited and a plan
for them, deposits in every status and overdue ones, theme days, the network and the resource bank,
searchable."""

from __future__ import annotations

import json
import re
import signal
import time as clock
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tvers_cli.demo import school_strand
from tvers_cli.demo.desk_log import year_of_records
from tvers_cli.demo.fill_schools import BOOKING_MARGIN
from tvers_cli.demo.first_sight import FILLED
from tvers_runtime.auth import Role
from tvers_runtime.embedded import port_is_free

#: A group of its own (the demo starts its own systems): it runs beside the other end-to-end
#: tests, at the front of another worker's share (tvers_runtime.testing.plugin).
pytestmark = [pytest.mark.servers, pytest.mark.slow, pytest.mark.xdist_group("e2e-demo")]
OSLO = ZoneInfo("Europe/Oslo")
BRANCHES = ("alesund-sentrum", "brattvag", "haroy", "skodje", "sjoholt", "spjelkavik", "ellingsoy")


def ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def shifts_between(tvers: Any, http: httpx.Client, first: date, last: date) -> list[Any]:
    staff = tvers.token(Role.STAFF)
    span = {
        "from": datetime.combine(first, time(), OSLO).isoformat(),
        "to": datetime.combine(last, time(), OSLO).isoformat(),
    }
    return [
        shift
        for branch_id in BRANCHES
        for shift in ok(
            http.get(
                f"{tvers.url('volunteers')}/shifts",
                params={**span, "branch_id": branch_id},
                headers=staff,
            )
        )
    ]


def visits_state(tvers: Any, http: httpx.Client, year: str) -> dict[str, Any]:
    """What the visits service holds of the school strand, as staff read it."""
    staff = tvers.token(Role.STAFF)

    def get(path: str, **params: str) -> Any:
        return ok(http.get(f"{tvers.url('visits')}{path}", params=params, headers=staff))

    schools = get("/schools")
    return {
        "schools": schools,
        "classes": [
            c
            for s in schools
            for c in get(f"/school-years/{year}/schools/{s['school_id']}/classes")
        ],
        "visits": get(f"/school-years/{year}/class-visits"),
        "not_yet_visited": get(f"/school-years/{year}/not-yet-visited"),
        "deposits": get("/deposits"),
        "overdue": get("/deposits/overdue"),
        "theme_days": get("/theme-days"),
        "members": get("/network/members"),
        "pages": get("/resource-pages"),
        "lesekvarten": get("/resource-pages/lesekvarten/versions"),
    }


def searched(tvers: Any, http: httpx.Client, words: str) -> list[Any]:
    """The resource bank's hits for ``words``, once its search table has the pages (it follows
    the saved pages within a second or so)."""
    teacher = tvers.token(Role.TEACHER, school_id="aspoy-skule")
    for _ in range(60):
        hits: list[Any] = ok(
            http.get(f"{tvers.url('visits')}/resource-search", params={"q": words}, headers=teacher)
        )
        if hits:
            return hits
        clock.sleep(0.5)
    return []


def demo_totals(tvers: Any, *, before: date | None = None) -> dict[str, int]:
    """The dashboard's daily figures summed (of the days before ``before``, if given)."""
    with tvers.client() as http:
        rows = http.get(
            f"{tvers.url('reporting')}/api/daily", headers=tvers.token(Role.VIEWER)
        ).json()
    summed: dict[str, int] = {}
    for row in rows:
        if before is not None and date.fromisoformat(row["day"]) >= before:
            continue
        for name, value in row.items():
            if isinstance(value, int):
                summed[name] = summed.get(name, 0) + value
    return summed


def settled_totals(tvers: Any, *, before: date | None = None) -> dict[str, int]:
    """The totals once the projections have caught up (two equal readings in a row)."""
    previous: dict[str, int] = {}
    for _ in range(60):
        current = demo_totals(tvers, before=before)
        if current and current == previous:
            return current
        previous = current
        clock.sleep(0.5)
    raise AssertionError("reporting never settled")


def desk_figures(tvers: Any, day: date) -> dict[str, Any]:
    """The desk panel's figures of the year before ``day``, as reporting serves them."""
    span = {
        "from": (day - timedelta(days=366)).isoformat(),
        "to": (day - timedelta(days=1)).isoformat(),
    }
    with tvers.client() as http:
        return {
            name: ok(
                http.get(
                    f"{tvers.url('reporting')}/api/desk/{name}",
                    params=span,
                    headers=tvers.token(Role.VIEWER),
                )
            )
            for name in ("demand", "overlap", "referrals")
        }


def settled_desk_figures(tvers: Any, day: date, helped: int) -> dict[str, Any]:
    """The desk figures once reporting has counted ``helped`` records of the year."""
    figures: dict[str, Any] = {}
    for _ in range(120):
        figures = desk_figures(tvers, day)
        if sum(row["helped"] for row in figures["demand"]) == helped:
            return figures
        clock.sleep(0.5)
    raise AssertionError(f"the desk figures never reached {helped}: {figures}")


def week_figures(tvers: Any, path: str, monday: date) -> list[Any]:
    """A reporting read model's rows of the Europe/Oslo week from ``monday``, as a viewer reads
    them."""
    span = {"from": monday.isoformat(), "to": (monday + timedelta(days=6)).isoformat()}
    with tvers.client() as http:
        rows: list[Any] = ok(
            http.get(
                f"{tvers.url('reporting')}{path}", params=span, headers=tvers.token(Role.VIEWER)
            )
        )
    return [row for row in rows if row["week"] == monday.isoformat()]


def settled_week(tvers: Any, path: str, monday: date, figure: str) -> int:
    """A figure of a past week summed over the branches, once reporting shows some of it (the
    projections follow the streams: a moment after the fill)."""
    total = 0
    for _ in range(60):
        total = sum(row[figure] for row in week_figures(tvers, path, monday))
        if total:
            return total
        clock.sleep(0.5)
    return total


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def today_in_oslo() -> date:
    return datetime.now(OSLO).date()


def live_report(tvers: Any, *kinds: str, timeout: float = 120.0) -> str:
    """The first of the live demo's reports that names every one of ``kinds`` as sent."""
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        output: str = tvers.output
        for line in output.splitlines():
            if line.startswith("tvers live:") and all(f" {kind}" in line for kind in kinds):
                return line
        assert tvers.process.poll() is None, tvers.output
        clock.sleep(0.5)
    raise AssertionError(f"no live report of {kinds}:\n{tvers.output}")


@pytest.mark.timeout(780)  # two whole demo fills, each allowed 300 s below, and live events
def test_the_demo_shows_the_dashboard_first_fills_every_strand_and_a_live_run_adds_only_live_events(
    tmp_path: Path, make_tvers: Any
) -> None:
    day_of_the_test = today_in_oslo()
    tvers = make_tvers(tmp_path / "data")
    tvers.start("demo")
    try:
        tvers.wait_for(FILLED, timeout=300)
        output = tvers.output
        # First sight: the sign-in link (the token in its fragment) and the token on a line of
        # its own, printed before the fill was under way (the volunteers service stopped for
        # the history), let alone done.
        first_sight = re.search(r"(http://\S+)/sign-in#token=(\S+)", output)
        assert first_sight is not None, output
        assert first_sight.group(1) == tvers.url("reporting")
        viewer = first_sight.group(2)
        assert f"\n{viewer}\n" in output
        assert (
            output.index(first_sight.group(0))
            < output.index("stopped  volunteers for a moment")
            < output.index(FILLED)
        )
        with tvers.client() as http:
            reporting = f"{tvers.url('reporting')}/api/daily"
            ok(http.get(reporting, headers={"Authorization": f"Bearer {viewer}"}))
        first = settled_totals(tvers)
        first_before = settled_totals(tvers, before=day_of_the_test)
        assert first["entries_meirope"] > 100
        assert first["shifts_claimed"] > 50
        record = json.loads((tmp_path / "data" / "demo-history.json").read_text())
        day = date.fromisoformat(record["day"])
        strand = school_strand.make(day)
        # The dashboard counts the visits held in its last 60 days.
        shown = [p for p in strand.classes if p.held and p.visited_on >= day - timedelta(days=59)]
        assert first.get("class_visits", 0) == len(shown)
        volunteers = list(record["volunteers"].values())
        assert len(volunteers) == 50
        staff = tvers.token(Role.STAFF)
        with tvers.client() as http:
            behind = shifts_between(tvers, http, day - timedelta(weeks=7), day)
            ahead = shifts_between(tvers, http, day + timedelta(days=1), day + timedelta(days=15))
            mine = {
                who: ok(
                    http.get(
                        f"{tvers.url('volunteers')}/volunteers/{who}/shifts",
                        params={
                            "from": (day - timedelta(weeks=7)).isoformat(),
                            "to": (day + timedelta(days=15)).isoformat(),
                        },
                        headers=staff,
                    )
                )
                for who in volunteers
            }
            certificates = [
                c
                for who in volunteers
                for c in ok(
                    http.get(
                        f"{tvers.url('volunteers')}/volunteers/{who}/certificates", headers=staff
                    )
                )
            ]
            link = re.search(r"(http://\S+/me/sign-in\?token=\S+)", tvers.output)
            assert link is not None, tvers.output
            page = http.get(link.group(1))
            year = ok(http.get(f"{tvers.url('visits')}/school-years/current", headers=staff))
            schools = visits_state(tvers, http, year["school_year"])
            plan = ok(
                http.get(
                    f"{tvers.url('visits')}/school-years/{year['school_year']}/proposed-plan",
                    headers=staff,
                )
            )
            hits = searched(tvers, http, "lånekorta")
        # The desk log's year, every record not undone counted once, in the panel's figures.
        desk_year = year_of_records(day)
        desk = settled_desk_figures(tvers, day, sum(r.undone_at is None for r in desk_year))
        # Past weeks by the schedules as they stood then: the demo set them before the history
        # they govern, so a week long gone has open hours, and a week of the volunteers'
        # history has hosts in its meirope hours.
        long_ago = monday_of(day_of_the_test - timedelta(weeks=10))
        hosted_week = monday_of(day_of_the_test - timedelta(weeks=3))
        open_hours = "/api/meirope/open-hours"
        staffed_long_ago = settled_week(tvers, open_hours, long_ago, "staffed_minutes")
        meirope_long_ago = settled_week(tvers, open_hours, long_ago, "meirope_minutes")
        coverage = "/api/volunteers/host-coverage"
        covered_long_ago = settled_week(tvers, coverage, long_ago, "meirope_minutes")
        hosted = settled_week(tvers, coverage, hosted_week, "hosted_minutes")
    finally:
        tvers.stop()

    assert staffed_long_ago > 0
    assert meirope_long_ago > 0
    assert covered_long_ago == meirope_long_ago
    assert hosted > 0

    # The desks: the overlap is at Skodje and Harøy, and citizens are sent across.
    overlap_sites = Counter(row["site"] for row in desk["overlap"])
    assert overlap_sites["skodje"] >= 4
    assert overlap_sites["haroy"] >= 4
    assert overlap_sites["brattvag"] <= 1
    assert sum(row["referrals"] for row in desk["referrals"]) == sum(
        r.referred_to is not None for r in desk_year if r.undone_at is None
    )

    # Behind: published shifts, claimed, with a waitlist now and then.
    assert len(behind) > 60
    assert all(s["stage"] == "published" for s in behind)
    assert sum(len(s["volunteers"]) for s in behind) > 100
    assert any(s["waitlist"] for s in behind)
    served = [s for shifts in mine.values() for s in shifts if s["served"]]
    # Check-ins and check-outs at the shifts' own times, weeks ago.
    assert len(served) > 80
    assert all(
        datetime.fromisoformat(s["starts_at"]) - timedelta(minutes=30)
        <= datetime.fromisoformat(s["served"]["checked_in_at"])
        < datetime.fromisoformat(s["ends_at"])
        for s in served
    )
    assert min(datetime.fromisoformat(s["starts_at"]) for s in served).date() < day - timedelta(
        weeks=4
    )
    # The service's rule closed the forgotten check-outs at the shift's end; it found no-shows.
    closed = [s for s in served if s["served"]["closed_by_rule"]]
    assert closed
    assert all(s["served"]["checked_out_at"] == s["ends_at"] for s in closed)
    assert any(s["no_show"] for shifts in mine.values() for s in shifts)
    # Certificates for vgs students, of the time they served.
    assert len(certificates) >= 3
    assert all(c["minutes_served"] > 0 for c in certificates)
    # Ahead: the service's proposals, some confirmed; published shifts claimed and waited for.
    assert any(s["stage"] == "proposed" for s in ahead)
    published = [s for s in ahead if s["stage"] == "published"]
    assert len(published) >= 20
    assert sum(len(s["volunteers"]) for s in published) > 20
    assert any(s["waitlist"] for s in published)
    # The printed link opens the volunteers' page (its sign-in step; the link is not used up).
    assert page.status_code == 200
    assert "<form" in page.text

    # The schools and their 2nd- and 9th-grade classes of the school year, labels of their grade.
    assert year["school_year"] == strand.year.label
    assert len(schools["schools"]) == 35
    assert {s["school_type"] for s in schools["schools"]} == {
        "primary",
        "lower_secondary",
        "combined",
    }
    classes = schools["classes"]
    assert len(classes) == len(strand.classes)
    assert all(c["class_label"].startswith(str(c["grade"])) for c in classes)
    # Visits held of the days gone by, booked ahead, cancelled; classes not yet visited, and a
    # plan for them in free staffed hours.
    statuses = Counter(v["status"] for v in schools["visits"])
    assert statuses["held"] == strand.held
    until = datetime.fromisoformat((tmp_path / "data" / "demo-until").read_text().strip())
    assert statuses["booked"] == sum(
        datetime.fromisoformat(call.body["starts_at"]) > until + BOOKING_MARGIN
        for call in strand.bookings_ahead
    )
    assert schools["not_yet_visited"]
    assert plan["visits"]
    # Deposits in every status, and the overdue ones for staff.
    assert Counter(d["status"] for d in schools["deposits"]) == strand.deposit_statuses
    assert len(schools["overdue"]) == strand.overdue >= 1
    assert all(d["days_overdue"] > 0 for d in schools["overdue"])
    # A theme day held, with participants per school, and one to come.
    stages = {t["stage"]: t for t in schools["theme_days"]}
    assert stages["held"]["participants"]
    assert date.fromisoformat(stages["planned"]["day"]) > day
    # The network: names only of those who agreed; a dozen pages, one edited by a school
    # librarian, found by an inflected form.
    members = schools["members"]
    assert len(members) == 9
    assert 0 < sum(m["name"] is not None for m in members) < len(members)
    assert len(schools["pages"]) == 12
    assert [v["author_role"] for v in schools["lesekvarten"]] == ["staff", "school_librarian"]
    assert "lanekort-for-elevar" in {hit["slug"] for hit in hits}

    # Again, with --live: the fill adds nothing to the days before today, nor to the visits
    # service's school year; the live events come on top, today, until it is stopped.
    tvers.start("demo", "--live")
    try:
        tvers.wait_for(FILLED, timeout=300)
        filled_today = sum(demo_totals(tvers).values()) - sum(first_before.values())
        assert settled_totals(tvers, before=day_of_the_test) == first_before
        live_report(tvers, "at the doors", "check-ins", "desk records")
        assert desk_figures(tvers, day) == desk, "the desk's year is kept, not sent again"
        rising = [sum(demo_totals(tvers).values()) - sum(first_before.values())]
        while rising[-1] <= filled_today and len(rising) < 120:
            clock.sleep(0.5)
            rising.append(sum(demo_totals(tvers).values()) - sum(first_before.values()))
        with tvers.client() as http:
            again = visits_state(tvers, http, year["school_year"])
    finally:
        tvers.stop()
    assert rising[-1] > filled_today
    assert "tvers: stopped." in tvers.output
    kept = {v["visit_id"]: v for v in again["visits"]}
    assert {v["visit_id"]: kept.get(v["visit_id"]) for v in schools["visits"]} == {
        v["visit_id"]: v for v in schools["visits"]
    }
    added = [
        v
        for v in again["visits"]
        if v["visit_id"] not in {w["visit_id"] for w in schools["visits"]}
    ]
    assert added or day_of_the_test.month == 7  # July belongs to no school year
    assert all(v["status"] == "held" and not v["booked"] for v in added)
    assert all(date.fromisoformat(v["day"]) >= day_of_the_test for v in added)
    visited = {(v["school_id"], v["class_label"]) for v in added}
    assert [
        c for c in schools["not_yet_visited"] if (c["school_id"], c["class_label"]) not in visited
    ] == again["not_yet_visited"]
    live_ids = {v["visit_id"] for v in added}

    def before_live(school_class: dict[str, Any]) -> dict[str, Any]:
        """A class as the first run left it: without the visit live recorded for it."""
        visit = school_class["programme_visit"] or {}
        return {
            **school_class,
            "programme_visit": None
            if visit.get("visit_id") in live_ids
            else school_class["programme_visit"],
            "visits": [v for v in school_class["visits"] if v["visit_id"] not in live_ids],
        }

    assert [before_live(c) for c in again["classes"]] == schools["classes"]
    for name in schools.keys() - {"visits", "not_yet_visited", "classes"}:
        assert again[name] == schools[name], name


@pytest.mark.timeout(300)
def test_ctrl_c_during_the_demo_fill_stops_the_fill_and_the_whole_system(
    tmp_path: Path, make_tvers: Any
) -> None:
    tvers = make_tvers(tmp_path / "data")
    tvers.start("demo")
    # Under way: the volunteers' history in the demo's own process, its service stopped.
    tvers.wait_for("stopped  volunteers for a moment", timeout=240)
    tvers.process.send_signal(signal.SIGINT)
    assert tvers.process.wait(120) == 0, tvers.output
    assert "tvers: stopped." in tvers.output
    assert FILLED not in tvers.output
    assert all(port_is_free(port, "127.0.0.1") for port in tvers.ports.values())
