"""The yearly report PDF on a real PostgreSQL and NATS: a few events of every strand go in as
the services' relays would publish them; ``/report/2026.pdf`` comes out, opens, and its text
holds the figures those events make, in nynorsk (æ, ø and å) or in English."""

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import nats
import pypdf
import pytest

from tvers_contracts import DomainEvent, Envelope, event_subject
from tvers_contracts.events.access import (
    BranchRegistered,
    DenialReason,
    EntryDenied,
    EntryGranted,
)
from tvers_contracts.events.visits import (
    ClassVisitBooked,
    ClassVisitHeld,
    Programme,
    SchoolClass,
    SchoolClassesSet,
    SchoolRegistered,
    SchoolType,
)
from tvers_contracts.events.volunteers import ShiftPublished, ShiftRole
from tvers_contracts.values import OpeningKind
from tvers_runtime.auth import Role
from tvers_runtime.clock import Clock, fixed_clock
from tvers_runtime.relay import ensure_stream
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
VIEWER = bearer(Role.VIEWER)
STAFF = bearer(Role.STAFF)
SCHOOL_YEAR = "2025-2026"  # the one that ends in 2026


@pytest.fixture
def clock() -> Clock:
    return fixed_clock(datetime(2026, 11, 30, 11, 0, tzinfo=UTC))


def envelope(stream_id: str, version: int, at: datetime, payload: DomainEvent) -> Envelope[Any]:
    return Envelope[DomainEvent](
        event_id=uuid4(),
        event_type=type(payload).__name__,
        schema_version=type(payload).schema_version,
        tenant="1508",
        stream_id=stream_id,
        stream_version=version,
        occurred_at=at,
        recorded_at=at,
        correlation_id=uuid4(),
        payload=payload,
    )


def a_year() -> list[Envelope[Any]]:
    """Harøy: 3 entries in staffed hours, 2 in meirope hours, 1 denial; Brattvåg: 1 meirope
    entry. One host shift published. Harøy skule: 2nd grade 2A and 2B and 9th grade 9A, 2A's
    visit held with 19 pupils and 17 library cards."""
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    door: list[DomainEvent] = [
        EntryGranted(door_id="haroy-main", branch_id="haroy", patron_ref=f"{n:032x}", opening=k)
        for n, k in enumerate([OpeningKind.STAFFED] * 3 + [OpeningKind.MEIROPE] * 2, start=1)
    ]
    door.append(
        EntryDenied(
            door_id="haroy-main",
            branch_id="haroy",
            patron_ref=f"{9:032x}",
            opening=OpeningKind.MEIROPE,
            reason=DenialReason.WRONG_PIN,
        )
    )
    booked = ClassVisitBooked(
        visit_id=uuid4(),
        school_id="haroy-skule",
        school_year=SCHOOL_YEAR,
        grade=2,
        class_label="2A",
        branch_id="haroy",
        starts_at=datetime(2026, 3, 10, 8, 30, tzinfo=UTC),
        ends_at=datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
        expected_pupils=20,
        programme=Programme.SECOND_GRADE,
    )
    held = ClassVisitHeld(
        visit_id=booked.visit_id,
        school_id="haroy-skule",
        school_year=SCHOOL_YEAR,
        grade=2,
        class_label="2A",
        branch_id="haroy",
        held_on=date(2026, 3, 10),
        programme=Programme.SECOND_GRADE,
        pupils_present=19,
        library_cards_handed_out=17,
        consent_forms_collected=17,
    )
    shift = uuid4()
    return [
        envelope(
            "branch-haroy",
            1,
            at,
            BranchRegistered(branch_id="haroy", name="Harøy", meirope_min_age=15),
        ),
        envelope(
            "branch-brattvag",
            1,
            at,
            BranchRegistered(branch_id="brattvag", name="Brattvåg", meirope_min_age=15),
        ),
        *(
            envelope("door-haroy-main", n, at + timedelta(hours=n), event)
            for n, event in enumerate(door, start=1)
        ),
        envelope(
            "door-brattvag-main",
            1,
            at,
            EntryGranted(
                door_id="brattvag-main",
                branch_id="brattvag",
                patron_ref=f"{7:032x}",
                opening=OpeningKind.MEIROPE,
            ),
        ),
        envelope(
            f"shift-{shift}",
            1,
            at,
            ShiftPublished(
                shift_id=shift,
                branch_id="haroy",
                starts_at=at + timedelta(days=9),
                ends_at=at + timedelta(days=9, hours=2),
                capacity=1,
                role=ShiftRole.HOST,
            ),
        ),
        envelope(
            "school-haroy-skule",
            1,
            at,
            SchoolRegistered(
                school_id="haroy-skule",
                name="Harøy skule",
                school_type=SchoolType.PRIMARY,
                nearest_branch_id="haroy",
            ),
        ),
        envelope(
            f"schoolyear-haroy-skule-{SCHOOL_YEAR}",
            1,
            at,
            SchoolClassesSet(
                school_id="haroy-skule",
                school_year=SCHOOL_YEAR,
                classes=[
                    SchoolClass(grade=int(c[0]), class_label=c, pupils=20)
                    for c in ("2A", "2B", "9A")
                ],
            ),
        ),
        envelope(f"classvisit-{booked.visit_id}", 1, at, booked),
        envelope(f"classvisit-{booked.visit_id}", 2, at + timedelta(days=8), held),
    ]


async def publish(nats_url: str, envelopes: list[Envelope[Any]]) -> None:
    client = await nats.connect(nats_url)
    try:
        for service in ("access", "volunteers", "visits"):
            await ensure_stream(client.jsm(), service)
        for one in envelopes:
            await client.jetstream().publish(
                event_subject(type(one.payload)),
                one.model_dump_json(serialize_as_any=True).encode(),
            )
    finally:
        await client.close()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


async def all_applied(client: httpx.AsyncClient) -> bool:
    year = "from=2026-01-01&to=2026-12-31"
    entries = await client.get(f"/api/meirope/entries-by-hour?{year}", headers=VIEWER)
    denials = await client.get(f"/api/meirope/denials?{year}", headers=VIEWER)
    shifts = await client.get(f"/api/volunteers/shifts?{year}", headers=VIEWER)
    reach = await client.get(f"/api/schools/reach?school_year={SCHOOL_YEAR}", headers=VIEWER)
    coverage = await client.get(f"/api/schools/coverage?school_year={SCHOOL_YEAR}", headers=VIEWER)
    return (
        sum(r["staffed"] + r["meirope"] for r in entries.json()) == 6
        and len(denials.json()) == 1
        and len(shifts.json()) == 1
        and len(reach.json()) == 1
        and any(r["school_name"] for r in coverage.json())
    )


async def test_the_yearly_report_holds_the_years_figures_in_nynorsk(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    await publish(nats_server.url, a_year())

    async def applied() -> bool:
        return await all_applied(client)

    await eventually(applied)

    response = await client.get("/report/2026.pdf", headers=VIEWER)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = text_of(response.content)
    for line in (
        "Årsrapport 2026",
        "Ålesundsbiblioteka",
        "Inngangar ved dørene 6",
        "Inngangar i betent tid 3",
        "Inngangar i meirope-tid (utan betjening) 3",
        "Avviste forsøk 1",
        "Feil PIN-kode 0 1 0 1",
        "Vakter lyste ut 1",
        "Klassar på 2. trinn som har vore på besøk 1 av 2",
        "Klassar på 9. trinn som har vore på besøk 0 av 1",
        "Elevar nådde 19",
        "Lånekort delte ut 17",
        "Harøy skule 1 19 17",
        "skuleåret 2025-2026",
    ):
        assert line in text, line
    assert "Brattvåg" in text  # a branch name, drawn in the bars chart's SVG


async def test_the_yearly_report_comes_in_english_for_staff_too(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    await publish(nats_server.url, a_year())

    async def applied() -> bool:
        return await all_applied(client)

    await eventually(applied)

    response = await client.get("/report/2026.pdf?lang=en", headers=STAFF)

    assert response.status_code == 200
    text = text_of(response.content)
    assert "Annual report 2026" in text
    assert "Entries at the doors 6" in text
    assert "Pupils reached 19" in text
    assert 'filename="annual-report-2026.pdf"' in response.headers["content-disposition"]


async def test_a_branch_name_with_markup_and_control_characters_is_written_as_text(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    odd = 'Bratt<våg> & "Co"\x01\x0b'  # the contract lets a name carry control characters
    events = [e for e in a_year() if e.stream_id != "branch-brattvag"]
    registered = BranchRegistered(branch_id="brattvag", name=odd, meirope_min_age=15)
    events.append(envelope("branch-brattvag", 1, datetime(2026, 3, 2, tzinfo=UTC), registered))
    await publish(nats_server.url, events)

    async def named() -> bool:
        names = await client.get("/api/national-statistics/2026", headers=VIEWER)
        return await all_applied(client) and odd in {r["branch_name"] for r in names.json()["rows"]}

    await eventually(named)

    response = await client.get("/report/2026.pdf", headers=VIEWER)

    assert response.status_code == 200
    assert 'Bratt<våg> & "Co"' in text_of(response.content)


async def test_a_year_without_events_is_a_report_of_empty_charts(client: httpx.AsyncClient) -> None:
    response = await client.get("/report/2025.pdf", headers=VIEWER)

    assert response.status_code == 200
    text = text_of(response.content)
    assert "Årsrapport 2025" in text
    assert "Ingen inngangar ved dørene i år." in text


async def test_the_report_needs_a_viewer_or_staff_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/report/2026.pdf")).status_code == 401
    teacher = bearer(Role.TEACHER, school_id="haroy-skule")
    assert (await client.get("/report/2026.pdf", headers=teacher)).status_code == 403


@pytest.mark.parametrize("year", ["1999", "2027", "20260", "twenty"])
async def test_a_year_out_of_range_is_refused(client: httpx.AsyncClient, year: str) -> None:
    response = await client.get(f"/report/{year}.pdf", headers=VIEWER)

    assert response.status_code == 422
    assert response.json()["error"] in {"invalid_year", "invalid_request"}


async def test_the_report_is_documented_as_a_pdf(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()

    answer = spec["paths"]["/report/{year}.pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in answer["content"]
