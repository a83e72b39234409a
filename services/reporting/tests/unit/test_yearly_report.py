"""The yearly report's assembly (figures to sections, pure) and its drawing as a PDF: the key
figures in the language asked for, Babel's numbers, charts with their summaries, and a PDF whose
text holds them, æ, ø and å included."""

import io
from datetime import date
from uuid import uuid4

import pypdf

from tvers_reporting.adapters.pdf_report import latin1, render
from tvers_reporting.read_models.school_queries import Coverage, DepositCounts, Reach, ThemeDayRow
from tvers_reporting.yearly_report import YearFigures, assemble
from tvers_reporting.yearly_report.figures import school_year_ending_in
from tvers_runtime.i18n import Locale


def figures(**changes: object) -> YearFigures:
    base: dict[str, object] = {
        "year": 2026,
        "library": "Ålesundsbiblioteka",
        "made_on": date(2026, 11, 30),
        "school_year": "2025-2026",
        "branch_names": {"haroy": "Harøy", "brattvag": "Brattvåg"},
        "school_names": {"s1": "Skodje barneskule"},
        "entries_by_hour": [
            {"branch_id": "haroy", "weekday": 1, "hour": 12, "staffed": 1200, "meirope": 0},
            {"branch_id": "haroy", "weekday": 2, "hour": 21, "staffed": 0, "meirope": 17},
            {"branch_id": "brattvag", "weekday": 6, "hour": 10, "staffed": 5, "meirope": 3},
        ],
        "denials": [
            {
                "branch_id": "haroy",
                "day": date(2026, 3, 1),
                "reason": "wrong_pin",
                "staffed": 1,
                "meirope": 2,
                "closed": 0,
            },
        ],
        "visitors": [{"branch_id": "haroy", "month": date(2026, 3, 1), "visitors": 12}],
        "incidents": [
            {
                "branch_id": "haroy",
                "day": date(2026, 3, 1),
                "held_open": 1,
                "forced": 0,
                "tailgating": 2,
                "closings_with_occupants": 1,
                "occupants_at_closing": 3,
            },
        ],
        "shifts": [
            {
                "branch_id": "haroy",
                "week": date(2026, 3, 2),
                "shifts_published": 4,
                "shifts_cancelled": 0,
                "shifts_filled": 3,
                "places_offered": 4,
                "places_taken": 3,
                "places_released": 1,
                "waitlist_joins": 0,
                "no_shows": 1,
            },
        ],
        "hours": [
            {
                "branch_id": "haroy",
                "month": date(2026, 3, 1),
                "minutes": 450,
                "shifts_served": 3,
                "volunteers": 2,
            }
        ],
        "active_volunteers": 7,
        "host_coverage": [
            {
                "branch_id": "haroy",
                "week": date(2026, 3, 2),
                "meirope_minutes": 600,
                "hosted_minutes": 300,
                "share": 0.5,
            },
            {
                "branch_id": "haroy",
                "week": date(2026, 3, 9),
                "meirope_minutes": 600,
                "hosted_minutes": 450,
                "share": 0.75,
            },
        ],
        "coverage": [Coverage("s1", 2, 3, 1, 1, 1), Coverage("s1", 9, 2, 0, 2, 0)],
        "reach": [Reach("s1", "haroy", 3, 55, 12)],
        "deposits": [
            DepositCounts(
                "s1",
                {"requested": 1, "prepared": 0, "delivered": 1, "returned": 2, "cancelled": 1},
                0,
            )
        ],
        "theme_days": [
            ThemeDayRow(
                uuid4(),
                "2025-2026",
                date(2026, 2, 3),
                "Lesefest \u2013 Ivar Aasen",
                "haroy",
                None,
                "held",
                {"s1": 40},
            )
        ],
    }
    return YearFigures(**{**base, **changes})  # type: ignore[arg-type]


def key_figures(locale: Locale, data: YearFigures | None = None) -> dict[str, str]:
    report = assemble(data or figures(), locale)
    return {f.label: f.value for s in report.sections for f in s.figures}


def test_the_key_figures_are_summed_over_the_year_in_nynorsk_with_babels_numbers() -> None:
    got = key_figures(Locale.NN)
    assert got["Inngangar ved dørene"] == "1\u00a0225"
    assert got["Inngangar i meirope-tid (utan betjening)"] == "20"
    assert got["Avviste forsøk"] == "3"
    assert got["Mistanke om snik: fleire gjekk inn enn døra slapp inn"] == "2"
    assert got["Vertstimar"] == "7,5"
    assert got["Meirope-timar med vert sjekka inn"] == "62\u00a0%"
    assert got["Klassar på 2. trinn som har vore på besøk"] == "1 av 3"
    assert got["Depotlån bestilte"] == "4"  # the cancelled one left out
    assert got["Deltakarar på temadagar"] == "40"


def test_the_report_comes_in_english() -> None:
    report = assemble(figures(), Locale.EN)
    got = key_figures(Locale.EN)
    assert report.title == "Annual report 2026"
    assert got["Entries at the doors"] == "1,225"
    assert got["9th grade classes visited"] == "2 of 2"


def test_each_chart_says_in_a_sentence_what_it_shows() -> None:
    report = assemble(figures(), Locale.NN)
    summaries = [c.summary for s in report.sections for c in s.charts]
    assert "Travlaste timen var måndag klokka 12, med 1\u00a0200 inngangar i året." in summaries
    assert "Harøy hadde flest inngangar: 1\u00a0217, av dei 17 i meirope-tid." in summaries
    assert len(summaries) == len(set(summaries)) == 6


def test_a_year_without_events_has_zeros_and_empty_charts() -> None:
    empty = figures(
        entries_by_hour=[],
        denials=[],
        visitors=[],
        incidents=[],
        shifts=[],
        hours=[],
        host_coverage=[],
        coverage=[],
        reach=[],
        deposits=[],
        theme_days=[],
    )
    report = assemble(empty, Locale.NN)
    assert key_figures(Locale.NN, empty)["Inngangar ved dørene"] == "0"
    charts = [c for s in report.sections for c in s.charts]
    assert all("data-value" not in c.svg for c in charts)
    assert "Ingen inngangar ved dørene i år." in charts[0].svg


def test_the_school_year_is_the_one_that_ends_in_the_report_year() -> None:
    assert school_year_ending_in(2026) == "2025-2026"


def test_the_pdf_holds_the_title_the_figures_and_the_charts_words() -> None:
    pdf = render(assemble(figures(), Locale.NN))

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Årsrapport 2026" in text
    assert "Inngangar ved dørene 1 225" in text.replace("\u00a0", " ")
    assert "Inngangar etter vekedag og time" in text  # a chart's title, drawn from its SVG
    assert "laurdag" in text  # a heat-map row
    assert "Lesefest - Ivar Aasen" in text  # an en dash, as Latin-1 writes it
    assert reader.metadata is not None
    assert reader.metadata.title == "Årsrapport 2026"


def test_text_outside_latin1_is_written_as_its_nearest_latin1_form() -> None:
    assert (
        latin1("Ålesund \u2013 Čáhcesuolu ŋ \u201cx\u201d \u22123\u202f%")
        == 'Ålesund - Cáhcesuolu ? "x" -3\u00a0%'
    )
