"""The dashboard's pages over HTTP on a real PostgreSQL and NATS: signing in with an access code
(a session in an HttpOnly, SameSite cookie, never the code), every strand's panels for the
filters, refusals in words, the JSON behind the panels for a signed-in browser, and the live
stream that tells the page when new events were counted."""

import asyncio
import io
import json
from datetime import date, datetime, time, timedelta
from uuid import uuid4

import httpx
import pypdf
import pytest
from fastapi import FastAPI

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import BranchRegistered, DenialReason, EntryDenied, EntryGranted
from tvers_contracts.events.desk import (
    CategoryAdded,
    Channel,
    Department,
    Duration,
    HelpGiven,
    HelpUndone,
    UndoReason,
)
from tvers_contracts.events.visits import (
    ClassVisitHeld,
    Programme,
    SchoolRegistered,
    SchoolType,
    school_year_of,
)
from tvers_contracts.schedule import OSLO
from tvers_contracts.values import OpeningKind
from tvers_reporting.bootstrap import build_app
from tvers_reporting.settings import ReportingSettings
from tvers_reporting.testing.dashboard import SESSION_COOKIE, sign_in, viewer_token
from tvers_reporting.testing.events import envelope, publish
from tvers_runtime.auth import Role
from tvers_runtime.clock import Clock
from tvers_runtime.testing.http import bearer, running, service_settings, serving
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
TODAY = date(2026, 11, 30)
REF = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def clock() -> Clock:
    """Noon in Oslo on the tests' day."""
    noon = datetime.combine(TODAY, time(12), OSLO)
    return lambda: noon


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), OSLO)


async def publish_a_week(nats_url: str) -> None:
    """Two branches: Harøy with three meirope entries (two on Tuesday evening) and a refusal,
    Skodje with a staffed entry and a class visit of 24 pupils who got 20 cards."""
    tuesday = TODAY - timedelta(days=6)  # Tuesday 24 November
    events = [
        envelope(BranchRegistered(branch_id="haroy", name="Harøy bibliotek", meirope_min_age=15)),
        envelope(BranchRegistered(branch_id="skodje", name="Skodje bibliotek", meirope_min_age=15)),
        *(
            envelope(
                EntryGranted(
                    door_id="haroy-hovuddor",
                    branch_id="haroy",
                    patron_ref=REF,
                    opening=OpeningKind.MEIROPE,
                ),
                occurred_at=when,
            )
            for when in (at(tuesday, 19), at(tuesday, 19), at(tuesday + timedelta(days=1), 8))
        ),
        envelope(
            EntryDenied(
                door_id="haroy-hovuddor",
                branch_id="haroy",
                patron_ref=REF,
                opening=OpeningKind.MEIROPE,
                reason=DenialReason.WRONG_PIN,
            ),
            occurred_at=at(tuesday, 20),
        ),
        envelope(
            EntryGranted(
                door_id="skodje-hovuddor",
                branch_id="skodje",
                patron_ref=REF,
                opening=OpeningKind.STAFFED,
            ),
            occurred_at=at(tuesday, 11),
        ),
        envelope(
            ClassVisitHeld(
                visit_id=uuid4(),
                school_id="skodje-skule",
                grade=2,
                class_label="2A",
                branch_id="skodje",
                held_on=tuesday,
                school_year=school_year_of(tuesday),
                pupils_present=24,
                library_cards_handed_out=20,
                consent_forms_collected=20,
                programme=Programme.SECOND_GRADE,
            ),
            occurred_at=at(tuesday, 10),
        ),
    ]
    await publish(nats_url, events)


def help_given(
    site: str, department: Department, category: str, referred_to: Department | None = None
) -> list[Envelope[DomainEvent]]:
    """A help record on Wednesday 25 November, in a stream of its own."""
    help_id = uuid4()
    given = HelpGiven(
        help_id=help_id,
        site=site,
        department=department,
        category_id=category,
        channel=Channel.IN_PERSON,
        duration=Duration.UNDER_5_MINUTES,
        referred_to=referred_to,
        given_at=at(TODAY - timedelta(days=5), 10),
    )
    return [envelope(given, occurred_at=given.given_at, stream_id=f"help-{help_id}")]


async def publish_desk_records(nats_url: str) -> None:
    """At Skodje the library and the citizen service both help with BankID (three times in
    all, one referred from the library to the citizen service, and one more undone); at Harøy
    the volunteer centre helps with printing and refers once to the library."""
    categories = [
        envelope(
            CategoryAdded(category_id=category, name=name, name_en=name_en),
            stream_id="desk-categories-1508",
            version=version,
        )
        for version, (category, name, name_en) in enumerate(
            (
                ("bankid", "BankID og ID-porten", "BankID and ID-porten"),
                ("printing", "Utskrift og skanning", "Printing and scanning"),
            ),
            start=1,
        )
    ]
    library, citizen, volunteer = (
        Department.LIBRARY,
        Department.CITIZEN_SERVICE,
        Department.VOLUNTEER_CENTRE,
    )
    undone = help_given("skodje", citizen, "bankid")
    undo = HelpUndone(help_id=undone[0].payload.help_id, reason=UndoReason.RECORDED_TWICE)  # type: ignore[attr-defined]
    events = [
        *categories,
        *help_given("skodje", library, "bankid", referred_to=citizen),
        *help_given("skodje", library, "bankid"),
        *help_given("skodje", citizen, "bankid"),
        *undone,
        envelope(undo, stream_id=undone[0].stream_id, version=2),
        *help_given("haroy", volunteer, "printing", referred_to=library),
    ]
    await publish(nats_url, events)


async def eventually_on_the_page(client: httpx.AsyncClient, path: str, text: str) -> str:
    for _ in range(100):
        page = (await client.get(path)).text
        if text in page:
            return page
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared on {path}")


async def test_a_browser_not_signed_in_gets_the_sign_in_form(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 401
    assert 'action="/sign-in"' in page.text
    assert "Logg inn på oversikta" in page.text
    assert (await client.get("/panels")).status_code == 401
    assert (await client.get("/live")).status_code == 401


async def test_signing_in_opens_a_session_in_an_httponly_samesite_cookie_never_the_code(
    client: httpx.AsyncClient,
) -> None:
    token = viewer_token()
    signed_in = await sign_in(client, token)
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/"
    cookie = signed_in.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert token not in cookie
    page = await client.get("/")
    assert page.status_code == 200
    assert "Skjer samarbeidet på tvers?" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]


async def test_a_code_not_valid_or_of_another_role_is_refused_in_words(
    client: httpx.AsyncClient,
) -> None:
    refused = await sign_in(client, "not-a-token")
    assert refused.status_code == 401
    assert "Tilgangskoden er ikkje gyldig" in refused.text
    assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")
    door = bearer(Role.DOOR, door_id="haroy-hovuddor", audience=["reporting"])
    other_role = await sign_in(client, door["Authorization"].removeprefix("Bearer "))
    assert other_role.status_code == 403
    assert "denne tilgangskoden er for ei anna rolle" in other_role.text
    for_visits = bearer(Role.VIEWER, audience=["visits"])["Authorization"].removeprefix("Bearer ")
    assert (await sign_in(client, for_visits)).status_code == 401
    assert (await client.get("/")).status_code == 401


async def test_the_panels_show_each_strand_per_branch_with_charts_and_a_switch_to_english(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    await publish_a_week(nats_server.url)
    await sign_in(client)
    page = await eventually_on_the_page(client, "/?period=last-30-days", "Harøy bibliotek")
    page = await eventually_on_the_page(client, "/?period=last-30-days", "Feil PIN-kode")
    for heading in (
        "Meirope: det ubemanna biblioteket",
        "Bibliotekvennene (frivillige)",
        "Skular: skuleåret 2026\u20132027",
        "Samarbeid på tvers: kvar avdeling",
    ):
        assert heading in page
    assert page.count('role="img"') >= 3, "the heat map, the bars and the line"
    assert "Flest innpasseringar på tysdagar kl. 19 (2 i perioden)." in page
    assert "3 besøk i meirope-tid og 1 i betent tid." in page
    english = await client.get("/?period=last-30-days&lang=en")
    assert "Is working across happening?" in english.text
    assert "Most entries on Tuesdays at 19:00 (2 in the period)." in english.text


async def test_the_branch_filter_shows_that_branch_only(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    await publish_a_week(nats_server.url)
    await sign_in(client)
    await eventually_on_the_page(client, "/?period=last-30-days", "Skodje bibliotek")
    page = await eventually_on_the_page(
        client, "/?period=last-30-days&branch=skodje", "0 besøk i meirope-tid og 1 i betent tid."
    )
    across = page.split('id="across"')[1].split("</table>")[0]
    assert "Skodje bibliotek" in across
    assert "Harøy bibliotek" not in across


async def test_the_desk_panel_shows_demand_the_overlap_and_the_referral_matrix(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    await publish_a_week(nats_server.url)
    await publish_desk_records(nats_server.url)
    await sign_in(client)
    await eventually_on_the_page(client, "/?period=last-30-days", "Skodje bibliotek")
    page = await eventually_on_the_page(
        client, "/?period=last-30-days", "Mest hjelp med BankID og ID-porten: 3 i perioden."
    )
    assert "Innbyggartorget: bibliotek, innbyggarservice og frivilligsentral" in page
    figures = page.split('aria-label="Skrankane"')[1].split("</ul>")[0]
    assert '<span class="value">4</span> <span class="label">Hjelp gitt ved skrankane' in figures
    assert '<span class="value">2</span> <span class="label">Vist vidare' in figures
    overlap = page.split('id="desk-overlap"')[1].split("</table>")[0]
    assert '<th scope="row">Skodje bibliotek</th><td>BankID og ID-porten</td>' in overlap
    assert "Utskrift" not in overlap, "only the volunteer centre helps with printing at Harøy"
    matrix = page.split('id="desk-referrals"')[1].split("</table>")[0]
    assert '<th scope="col">Vist vidare frå</th>' in matrix
    assert '<th scope="row">Bibliotek</th><td>\u2013</td><td>1</td><td>0</td><td>1</td>' in matrix
    across = page.split('id="across"')[1].split("</table>")[0]
    assert "<td>3</td><td>1</td></tr>" in across.split("Skodje bibliotek")[1]
    english = await client.get("/?period=last-30-days&lang=en&branch=haroy")
    assert "Most help was with Printing and scanning: 1 in the period." in english.text
    assert "BankID" not in english.text


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("period=next-week", "Vel ein av periodane i lista."),
        ("from=2026-13-01", "Den første dagen i perioden er ikkje ein dato."),
        ("from=2026-11-30&to=2026-11-01", "kjem etter den siste"),
        ("from=2020-01-01&to=2026-01-01", "høgst tre år"),
        ("branch=atlantis", "Vel ei av avdelingane"),
        ("school_year=1999-2000", "Vel eitt av skuleåra"),
        ("period=last-30-days&period=this-year", "Vel kvart filter berre éin gong."),
        ("branch=&branch=atlantis", "Vel kvart filter berre éin gong."),
        ("sort=%3Cscript%3E", "Vel ei av kolonnane i tabellen å sortere etter."),
        ("sort=school&order=sideways", "Vel ei av kolonnane i tabellen å sortere etter."),
    ],
)
async def test_a_filter_the_page_cannot_show_is_refused_in_words(
    client: httpx.AsyncClient, query: str, words: str
) -> None:
    await sign_in(client)
    refused = await client.get(f"/?{query}")
    assert refused.status_code == 422
    assert words in refused.text


async def test_a_signed_in_browser_may_read_the_json_behind_the_panels_but_not_write(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/api/daily")).status_code == 401
    await sign_in(client)
    assert (await client.get("/api/daily")).status_code == 200
    assert (await client.get("/api/meirope/denials")).status_code == 200


async def test_a_token_in_a_cookie_is_no_longer_taken_for_the_api(
    client: httpx.AsyncClient,
) -> None:
    client.cookies.set("tvers_token", viewer_token())
    assert (await client.get("/api/daily")).status_code == 401


async def test_signing_out_ends_the_session(client: httpx.AsyncClient) -> None:
    await sign_in(client)
    page = (await client.get("/")).text
    form_token = page.split('name="form_token" value="')[1].split('"')[0]
    form_key = page.split('name="form_key" value="')[1].split('"')[0]
    cookie = client.cookies[SESSION_COOKIE]
    out = await client.post("/sign-out", data={"form_token": form_token, "form_key": form_key})
    assert out.status_code == 200
    assert "Du er logga ut" in out.text
    client.cookies.set(SESSION_COOKIE, cookie)
    assert (await client.get("/")).status_code == 401, "the old cookie signs no one in"


async def test_the_live_stream_says_changed_when_new_events_were_counted(
    app: FastAPI, nats_server: NatsUnderTest
) -> None:
    # Served for real: an in-process transport would wait for the stream's end.
    with serving(app) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            await sign_in(http)
            async with http.stream("GET", "/live") as stream:
                assert stream.headers["content-type"].startswith("text/event-stream")
                lines = stream.aiter_lines()
                seen: list[str] = []
                async for line in lines:
                    if not line and "event: ready" in seen:
                        break  # the end of the first event
                    seen.append(line)
                await publish_a_week(nats_server.url)
                async with asyncio.timeout(30):
                    async for line in lines:
                        if not line and "event: changed" in seen:
                            break
                        seen.append(line)
    assert any(line.startswith("retry: ") for line in seen)
    # No count: it would tell a viewer how many events every tenant's libraries made.
    assert [line for line in seen if line.startswith("data:")] == ["data: ready", "data: changed"]


async def test_the_school_table_sorts_by_a_column_with_aria_sort(
    client: httpx.AsyncClient,
) -> None:
    await sign_in(client)
    page = (await client.get("/?sort=second-not-yet&order=desc")).text
    # No classes yet: the table is not drawn, and the page says so.
    assert "Ingen klassar registrerte for dette skuleåret." in page


async def test_live_streams_beyond_the_limit_are_refused_busy_until_one_closes(
    database_url: str, nats_server: NatsUnderTest, clock: Clock
) -> None:
    settings = service_settings(
        ReportingSettings, database_url, nats_server.url, live_streams_at_most=1
    )
    with serving(build_app(settings, clock)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            await sign_in(http)
            async with http.stream("GET", "/live") as first:
                assert first.status_code == 200
                async with http.stream("GET", "/live") as refused:
                    assert refused.status_code == 503
                    assert json.loads(await refused.aread())["error"] == "busy"
                    assert "retry-after" in refused.headers
            for _ in range(100):  # the server sees the first one gone within a poll
                async with http.stream("GET", "/live") as again:
                    if again.status_code == 200:
                        break
                await asyncio.sleep(0.1)
            assert again.status_code == 200


async def test_the_script_is_served_as_javascript_and_never_sniffed(
    client: httpx.AsyncClient,
) -> None:
    script = await client.get("/dashboard.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["x-content-type-options"] == "nosniff"


async def test_a_name_with_a_nul_character_is_shown_without_it_not_parked_as_a_dead_letter(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    # The contracts let a name carry any character; PostgreSQL's text cannot hold NUL.
    await publish(
        nats_server.url,
        [
            envelope(
                BranchRegistered(branch_id="haroy", name="Harøy\x00 bibliotek", meirope_min_age=15)
            ),
            envelope(
                SchoolRegistered(
                    school_id="haroy-skule",
                    name="Harøy\x00 skule",
                    school_type=SchoolType.PRIMARY,
                    nearest_branch_id="haroy",
                )
            ),
        ],
    )
    await sign_in(client)
    await eventually_on_the_page(client, "/", "Harøy bibliotek")
    for _ in range(100):  # the school is counted once its stream's position is applied
        status = (await client.get("/api/status")).json()
        if status["projections"]["schools"]["sources"]["VISITS"]["applied"] >= 1:
            break
        await asyncio.sleep(0.1)
    assert {
        name: p["dead_letters"] for name, p in status["projections"].items() if p["dead_letters"]
    } == {}


async def test_an_expired_session_signs_no_one_in_on_the_page_or_the_api(
    database_url: str, nats_server: NatsUnderTest
) -> None:
    now = [at(TODAY, 8)]
    settings = service_settings(ReportingSettings, database_url, nats_server.url)
    async with running(build_app(settings, lambda: now[0])) as http:
        await sign_in(http)
        assert (await http.get("/api/daily")).status_code == 200
        now[0] += timedelta(days=1)
        assert (await http.get("/")).status_code == 401
        assert (await http.get("/api/daily")).status_code == 401


async def test_a_session_of_one_tenant_sees_only_its_tenants_figures_everywhere(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    def entry(branch_id: str, tenant: str) -> Envelope[DomainEvent]:
        granted = EntryGranted(
            door_id=f"{branch_id}-hovuddor",
            branch_id=branch_id,
            patron_ref=REF,
            opening=OpeningKind.MEIROPE,
        )
        return envelope(granted, occurred_at=at(TODAY - timedelta(days=2), 19), tenant=tenant)

    await publish(
        nats_server.url,
        [
            envelope(
                BranchRegistered(branch_id="molde", name="Molde bibliotek", meirope_min_age=15),
                tenant="1506",
            ),
            entry("molde", "1506"),
            envelope(
                BranchRegistered(branch_id="haroy", name="Harøy bibliotek", meirope_min_age=15)
            ),
            entry("haroy", "1508"),
        ],
    )
    await sign_in(client, viewer_token("1506"))
    await eventually_on_the_page(client, "/", "Molde bibliotek")
    client.cookies.clear()
    await sign_in(client)
    page = await eventually_on_the_page(client, "/", "Harøy bibliotek")
    year = TODAY.year
    for answer in (
        page,
        (await client.get(f"/api/national-statistics/{year}")).text,
        (await client.get(f"/api/national-statistics/{year}.csv")).text,
        (await client.get("/api/daily")).text,
    ):
        assert "haroy" in answer
        assert "molde" not in answer.lower()
    pdf = await client.get(f"/report/{year}.pdf")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Harøy bibliotek" in text
    assert "Molde" not in text
