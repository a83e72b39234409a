"""The national statistics export for 2026, from a small fixture of events built from the
contracts, against figures worked out by hand (the arithmetic is beside them), as JSON and as
CSV; the same when every event came twice and after the read models were rebuilt.

The fixture: Harøy is open with staff on Mondays 10-16 and in meirope hours 16-21, closed on
Easter Monday (6 April) by an exception, and has a people counter at its door. Brattvåg is open
with staff on Tuesdays 09-15 and has no counter. 2026 has 365 days, 52 Mondays and 52 Tuesdays.
Oslo is UTC+1 in winter and UTC+2 from 29 March to 25 October.
"""

import asyncio
import csv
import io
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.events.access import (
    BranchRegistered,
    EntryGranted,
    PeopleCounted,
    ScheduleExceptionSet,
    WeeklyScheduleSet,
)
from tvers_contracts.events.visits import (
    ClassVisitHeld,
    Programme,
    SchoolParticipants,
    ThemeDayHeld,
    ThemeDayPlanned,
)
from tvers_contracts.values import OpeningKind
from tvers_reporting.testing.events import envelope
from tvers_reporting.testing.events import publish as publish_events
from tvers_reporting.testing.story import Story, publish
from tvers_runtime.auth import Role
from tvers_runtime.projection import rebuild
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.schedules import weekly
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
VIEWER = bearer(Role.VIEWER)
MEIROPE, STAFFED = OpeningKind.MEIROPE, OpeningKind.STAFFED
MODELS = (
    "branches",
    "open_hours",
    "people_counts",
    "meirope_entries",
    "school_visits",
    "theme_days",
)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def counted(story: Story, at: datetime, entries: int, exits: int = 0) -> None:
    report = PeopleCounted(
        door_id="haroy-main",
        branch_id="haroy",
        entries=entries,
        exits=exits,
        counted_at=at,
        sequence=len(story.envelopes),
    )
    story.add(f"counts-haroy-{at.date()}", at, report)


def let_in(story: Story, at: datetime, opening: OpeningKind) -> None:
    ref = f"{len(story.envelopes):032x}"
    granted = EntryGranted(door_id="haroy-main", branch_id="haroy", patron_ref=ref, opening=opening)
    story.add("door-haroy-main", at, granted)


def class_visit(
    story: Story, branch: str, school: str, held_on: date, grade: int, pupils: int
) -> None:
    held = ClassVisitHeld(
        visit_id=uuid4(),
        school_id=school,
        school_year="2025-2026" if held_on.month < 8 else "2026-2027",
        grade=grade,
        class_label=f"{grade}A",
        branch_id=branch,
        held_on=held_on,
        programme=Programme.SECOND_GRADE if grade == 2 else Programme.NINTH_GRADE,
        pupils_present=pupils,
        library_cards_handed_out=0,
        consent_forms_collected=0,
    )
    story.add(
        f"classvisit-{held.visit_id}", datetime.combine(held_on, datetime.min.time(), UTC), held
    )


def the_year() -> Story:
    story = Story()
    for branch, name in (("haroy", "Harøy"), ("brattvag", "Brattvåg")):
        registered = BranchRegistered(branch_id=branch, name=name, meirope_min_age=15)
        story.add(f"branch-{branch}", utc(2025, 11, 1, 12), registered)
    haroy = [weekly(1, "10:00", "16:00", "staffed"), weekly(1, "16:00", "21:00", "meirope")]
    story.add(
        "branch-haroy", utc(2025, 12, 1, 12), WeeklyScheduleSet(branch_id="haroy", periods=haroy)
    )
    brattvag = [weekly(2, "09:00", "15:00", "staffed")]
    story.add(
        "branch-brattvag",
        utc(2025, 12, 1, 12),
        WeeklyScheduleSet(branch_id="brattvag", periods=brattvag),
    )
    easter_monday = ScheduleExceptionSet(
        branch_id="haroy", date=date(2026, 4, 6), periods=[], label="2. påskedag"
    )
    story.add("branch-haroy", utc(2026, 3, 1, 12), easter_monday)

    # Harøy's counter (Oslo time in the comments)
    counted(story, utc(2025, 12, 31, 22, 30), 5)  # 31 Dec 2025, 23:30: the year before
    counted(story, utc(2025, 12, 31, 23, 30), 1)  # 1 Jan 00:30: closed
    counted(story, utc(2026, 3, 2, 8, 30), 1)  # Monday 2 March 09:30: closed
    counted(story, utc(2026, 3, 2, 10), 3)  # 11:00: staffed
    counted(story, utc(2026, 3, 2, 14, 59), 2)  # 15:59: staffed
    counted(story, utc(2026, 3, 2, 15), 1)  # 16:00: meirope (a period's start is in it)
    counted(story, utc(2026, 3, 2, 19, 30), 2, exits=1)  # 20:30: meirope
    counted(story, utc(2026, 3, 2, 20), 0, exits=4)  # 21:00: only exits
    counted(story, utc(2026, 4, 6, 10), 1)  # Easter Monday 12:00 CEST: closed by the exception
    counted(story, utc(2026, 6, 1, 13, 30), 2)  # Monday 1 June 15:30 CEST: staffed
    counted(story, utc(2026, 6, 1, 14, 30), 4)  # 16:30 CEST: meirope

    # Harøy's door: card entries
    let_in(story, utc(2025, 12, 31, 22, 50), MEIROPE)  # 31 Dec 2025, 23:50: the year before
    let_in(story, utc(2026, 3, 2, 10, 1), STAFFED)  # not a meirope entry
    let_in(story, utc(2026, 3, 2, 15, 5), MEIROPE)  # 16:05
    let_in(story, utc(2026, 3, 2, 19, 31), MEIROPE)  # 20:31
    let_in(story, utc(2026, 6, 1, 14, 31), MEIROPE)  # 16:31 CEST
    let_in(story, utc(2026, 12, 31, 23, 10), MEIROPE)  # 1 Jan 2027, 00:10: the year after

    # Events for schools
    class_visit(story, "haroy", "haroy-skule", date(2025, 11, 20), 2, 21)  # the year before
    class_visit(story, "haroy", "haroy-skule", date(2026, 3, 10), 2, 18)
    class_visit(story, "brattvag", "brattvag-skule", date(2026, 10, 15), 9, 24)
    theme_day = uuid4()
    planned = ThemeDayPlanned(
        theme_day_id=theme_day, topic="Lesegleda", day=date(2026, 9, 15), branch_id="brattvag"
    )
    story.add("theme-days-1508", utc(2026, 8, 20, 9), planned)
    participants = [
        SchoolParticipants(school_id="brattvag-skule", participants=5),
        SchoolParticipants(school_id="haroy-skule", participants=7),
    ]
    held = ThemeDayHeld(theme_day_id=theme_day, participants=participants)
    story.add("theme-days-1508", utc(2026, 9, 15, 15), held)
    return story


# The figures worked out by hand, per figure: Brattvåg, Harøy, all branches.
FIGURES: list[tuple[str, Any, Any, Any]] = [
    # Harøy's counter: 11:00 (3) + 15:59 (2) + 15:30 CEST (2) = 7; Brattvåg has no counter
    ("visits_staffed", None, 7, 7),
    # 16:00 (1) + 20:30 (2) + 16:30 CEST (4) = 7
    ("visits_meirope", None, 7, 7),
    # 00:30 on 1 January (1) + 09:30 (1) + Easter Monday (1) = 3
    ("counted_while_closed", None, 3, 3),
    # 16:05, 20:31 and 16:31 CEST = 3
    ("meirope_card_entries", 0, 3, 3),
    # Brattvåg 52 Tuesdays x 6 h = 312; Harøy (52 - Easter Monday) x 6 h = 306; 312 + 306 = 618
    ("staffed_hours_year", 312.0, 306.0, 618.0),
    # Harøy 51 x 5 h = 255
    ("meirope_hours_year", 0.0, 255.0, 255.0),
    # x 7 / 365: 2184/365 = 5.98..., 2142/365 = 5.868..., 4326/365 = 11.852...
    ("staffed_hours_average_week", 5.98, 5.87, 11.85),
    # 1785/365 = 4.890...
    ("meirope_hours_average_week", 0.0, 4.89, 4.89),
    # One each in 2026 (Harøy's of November 2025 is the year before)
    ("class_visits_held", 1, 1, 2),
    ("class_visit_pupils", 24, 18, 42),
    ("theme_days_held", 1, 0, 1),
    # 5 + 7
    ("theme_day_participants", 12, 0, 12),
]
VALUES = [
    *((("brattvag", f, b) for f, b, _h, _t in FIGURES)),
    *((("haroy", f, h) for f, _b, h, _t in FIGURES)),
    *(((None, f, t) for f, _b, _h, t in FIGURES)),
]
NO_COUNTER = (
    "Ukjent: ingen personteljar ved denne avdelinga melde noko i året, og kortlesaren på døra "
    "tel berre dei som opnar ho med kort."
)
SOME_COUNTERS = "Summen for avdelingane med personteljar; dei utan er ikkje med."
CSV_HEAD = "\ufeffÅr;Avdelings-id;Avdeling;Tal-id;Tal;Verdi;Korleis det er talt"
# The CSV's rows up to the note (Norwegian Excel: ';' and a decimal comma)
CSV_ROWS = [
    "2026;brattvag;Brattvåg;visits_staffed;Besøk i betent opningstid;",
    "2026;brattvag;Brattvåg;visits_meirope;Besøk i meiropen tid;",
    "2026;brattvag;Brattvåg;counted_while_closed;Talde medan det var stengt;",
    "2026;brattvag;Brattvåg;meirope_card_entries;Inngangar med kort i meiropen tid;0",
    "2026;brattvag;Brattvåg;staffed_hours_year;Opningstimar med personale, heile året;312,00",
    "2026;brattvag;Brattvåg;meirope_hours_year;Meiropne timar, heile året;0,00",
    "2026;brattvag;Brattvåg;staffed_hours_average_week;Opningstimar med personale, gjennomsnittsveke;5,98",  # noqa: E501
    "2026;brattvag;Brattvåg;meirope_hours_average_week;Meiropne timar, gjennomsnittsveke;0,00",
    "2026;brattvag;Brattvåg;class_visits_held;Klassebesøk haldne;1",
    "2026;brattvag;Brattvåg;class_visit_pupils;Elevar på klassebesøka;24",
    "2026;brattvag;Brattvåg;theme_days_held;Temadagar haldne;1",
    "2026;brattvag;Brattvåg;theme_day_participants;Deltakarar på temadagane;12",
    "2026;haroy;Harøy;visits_staffed;Besøk i betent opningstid;7",
    "2026;haroy;Harøy;visits_meirope;Besøk i meiropen tid;7",
    "2026;haroy;Harøy;counted_while_closed;Talde medan det var stengt;3",
    "2026;haroy;Harøy;meirope_card_entries;Inngangar med kort i meiropen tid;3",
    "2026;haroy;Harøy;staffed_hours_year;Opningstimar med personale, heile året;306,00",
    "2026;haroy;Harøy;meirope_hours_year;Meiropne timar, heile året;255,00",
    "2026;haroy;Harøy;staffed_hours_average_week;Opningstimar med personale, gjennomsnittsveke;5,87",  # noqa: E501
    "2026;haroy;Harøy;meirope_hours_average_week;Meiropne timar, gjennomsnittsveke;4,89",
    "2026;haroy;Harøy;class_visits_held;Klassebesøk haldne;1",
    "2026;haroy;Harøy;class_visit_pupils;Elevar på klassebesøka;18",
    "2026;haroy;Harøy;theme_days_held;Temadagar haldne;0",
    "2026;haroy;Harøy;theme_day_participants;Deltakarar på temadagane;0",
    "2026;;Alle avdelingar;visits_staffed;Besøk i betent opningstid;7",
    "2026;;Alle avdelingar;visits_meirope;Besøk i meiropen tid;7",
    "2026;;Alle avdelingar;counted_while_closed;Talde medan det var stengt;3",
    "2026;;Alle avdelingar;meirope_card_entries;Inngangar med kort i meiropen tid;3",
    "2026;;Alle avdelingar;staffed_hours_year;Opningstimar med personale, heile året;618,00",
    "2026;;Alle avdelingar;meirope_hours_year;Meiropne timar, heile året;255,00",
    "2026;;Alle avdelingar;staffed_hours_average_week;Opningstimar med personale, gjennomsnittsveke;11,85",  # noqa: E501
    "2026;;Alle avdelingar;meirope_hours_average_week;Meiropne timar, gjennomsnittsveke;4,89",
    "2026;;Alle avdelingar;class_visits_held;Klassebesøk haldne;2",
    "2026;;Alle avdelingar;class_visit_pupils;Elevar på klassebesøka;42",
    "2026;;Alle avdelingar;theme_days_held;Temadagar haldne;1",
    "2026;;Alle avdelingar;theme_day_participants;Deltakarar på temadagane;12",
]


def figures(answer: dict[str, Any]) -> list[tuple[Any, str, Any]]:
    return [(r["branch_id"], r["figure"], r["value"]) for r in answer["rows"]]


async def eventually_counted(client: httpx.AsyncClient) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    for _ in range(300):
        answer = (await client.get("/api/national-statistics/2026", headers=VIEWER)).json()
        if figures(answer) == VALUES:
            return answer
        await asyncio.sleep(0.1)
    assert figures(answer) == VALUES
    return answer


async def check_the_export(client: httpx.AsyncClient) -> None:
    answer = await eventually_counted(client)
    assert answer["year"] == 2026
    assert answer["language"] == "nn"
    notes = {(r["branch_id"], r["figure"]): r["note"] for r in answer["rows"]}
    for figure in ("visits_staffed", "visits_meirope", "counted_while_closed"):
        assert notes[("brattvag", figure)] == NO_COUNTER
        assert notes[(None, figure)] == SOME_COUNTERS
        assert notes[("haroy", figure)].startswith("Dei personteljarane ved dørene talde inn")
    assert notes[("haroy", "theme_days_held")].startswith("Temadagar for skulebibliotekarar")
    assert {r["branch_name"] for r in answer["rows"]} == {"Brattvåg", "Harøy", "Alle avdelingar"}

    response = await client.get("/api/national-statistics/2026.csv", headers=VIEWER)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.split("\r\n", 1)[0] == CSV_HEAD
    assert text.endswith("\r\n")  # every row ends with CRLF
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))[1:]
    assert [";".join(row[:6]) for row in rows] == CSV_ROWS
    assert [row[6] for row in rows] == [r["note"] for r in answer["rows"]]


async def test_the_national_statistics_of_a_year_match_the_figures_worked_out_by_hand(
    client: httpx.AsyncClient, app: FastAPI, nats_server: NatsUnderTest
) -> None:
    story = the_year()
    # Every event but the last twice (a republish outside the dedupe window), then the last:
    # once its theme day shows, the repeats have been passed over.
    *most, last = story.envelopes
    await publish(nats_server.url, [*most, *most, last])
    await check_the_export(client)

    infra = app.state.infrastructure
    for name in MODELS:
        report = await rebuild(infra.pool, infra.nats, getattr(app.state, name))
        assert report.events > 0
    await check_the_export(client)


async def test_the_national_statistics_speak_english_when_asked(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    await publish(nats_server.url, the_year().envelopes)
    await eventually_counted(client)
    answer = (await client.get("/api/national-statistics/2026?lang=en", headers=VIEWER)).json()
    first = answer["rows"][0]
    assert (first["label"], first["note"][:9]) == ("Visits in staffed hours", "Not known")
    csv = await client.get("/api/national-statistics/2026.csv?lang=en", headers=VIEWER)
    assert (
        csv.text.splitlines()[0]
        == "\ufeffYear;Branch id;Branch;Figure id;Figure;Value;How it was counted"
    )


async def test_a_year_out_of_range_is_refused(client: httpx.AsyncClient) -> None:
    for path in ("/api/national-statistics/1999", "/api/national-statistics/20260.csv"):
        response = await client.get(path, headers=VIEWER)
        assert response.status_code == 422


async def test_a_branch_name_that_excel_would_take_for_a_formula_is_written_as_text(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    names = {"a": '=HYPERLINK("http://x";"y")', "b": "+47 1", "c": "-1", "d": "@SUM(A1)"}
    await publish_events(
        nats_server.url,
        [
            envelope(BranchRegistered(branch_id=branch, name=name, meirope_min_age=15))
            for branch, name in names.items()
        ],
    )

    async def rows() -> list[list[str]]:
        response = await client.get("/api/national-statistics/2026.csv", headers=VIEWER)
        return list(csv.reader(io.StringIO(response.text[1:], newline=""), delimiter=";"))[1:]

    for _ in range(100):
        if {row[1] for row in await rows()} >= set(names):
            break
        await asyncio.sleep(0.1)
    written = {row[1]: row[2] for row in await rows() if row[1]}
    assert written == {branch: "'" + name for branch, name in names.items()}
