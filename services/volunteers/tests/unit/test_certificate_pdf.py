"""The certificate PDF opens with a PDF library, has a page, and its text holds the name with
æ, ø and å intact, the period, the hours and the branches, in nynorsk and in English, with the
municipality's wording from the settings; it stays on the page and is made the same every time."""

import io
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest
from pypdf import PdfReader

from tvers_contracts.events.volunteers import CertificateIssued, CertificateLocale
from tvers_runtime.i18n import Locale
from tvers_volunteers.adapters.certificate_pdf import (
    CertificateContent,
    CertificateWording,
    certificate_content,
    hours,
    render_certificate,
)
from tvers_volunteers.settings import VolunteersSettings

NAME = "Åse Ærø Bjørnstad"
ALESUND = CertificateWording("Ålesund kommune", "Ålesundsbiblioteka, Verksemd innbyggartorg")


def content(locale: Locale = Locale.NN, **fields: Any) -> CertificateContent:
    given: dict[str, Any] = {
        "volunteer_name": NAME,
        "period_from": date(2026, 1, 1),
        "period_to": date(2026, 6, 30),
        "minutes_served": 750,
        "branches": ("brattvag", "skodje"),
        "issued_on": date(2026, 12, 2),
        "locale": locale,
        "wording": ALESUND,
        "branch_names": {"brattvag": "Brattvåg"},
        **fields,
    }
    return CertificateContent(**given)


def pages(pdf: bytes) -> list[str]:
    """The text of each page, its spaces as plain spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(scope="module", params=list(Locale), ids=lambda locale: locale.value)
def rendered(request: pytest.FixtureRequest) -> tuple[Locale, bytes]:
    locale: Locale = request.param
    return locale, render_certificate(content(locale))


EXPECTED = {
    Locale.NN: [
        "Attest",
        "Med dette stadfestar vi at",
        "Periode 1. januar 2026 \N{EN DASH} 30. juni 2026",
        "Tid i alt 12,5 timar",
        "Bibliotek Brattvåg, skodje",
        "Utferda 2. desember 2026",
    ],
    Locale.EN: [
        "Certificate",
        "This is to certify that",
        "Period January 1, 2026 \N{EN DASH} June 30, 2026",
        "Total time 12.5 hours",
        "Libraries Brattvåg, skodje",
        "Issued December 2, 2026",
    ],
}


def test_the_certificate_opens_and_holds_the_name_period_hours_and_branches(
    rendered: tuple[Locale, bytes],
) -> None:
    locale, pdf = rendered
    [text, *more] = pages(pdf)
    assert more == []
    assert NAME in text
    for expected in EXPECTED[locale]:
        assert expected in text


def test_the_certificate_carries_the_municipalitys_wording(
    rendered: tuple[Locale, bytes],
) -> None:
    _, pdf = rendered
    [text] = pages(pdf)
    assert text.startswith("Ålesund kommune")
    assert "i Ålesund kommune" in text or "of Ålesund kommune" in text
    assert text.endswith("Ålesundsbiblioteka, Verksemd innbyggartorg")


def test_another_municipality_puts_its_own_name_to_it() -> None:
    wording = CertificateWording("Giske kommune", "Giske folkebibliotek")
    [text] = pages(render_certificate(content(wording=wording)))
    assert "Ålesund" not in text
    assert "biblioteka i Giske kommune" in text
    assert text.endswith("Giske folkebibliotek")


def test_the_wording_defaults_to_alesund_in_the_settings() -> None:
    settings = VolunteersSettings(database_url="postgresql://localhost/volunteers")
    assert (settings.certificate_municipality, settings.certificate_signature) == (
        ALESUND.municipality,
        ALESUND.signature,
    )


def test_every_word_lies_on_the_page(rendered: tuple[Locale, bytes]) -> None:
    _, pdf = rendered
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    outside: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        if text.strip() and not (0 < x < width and 0 < y < height):
            outside.append(text)

    page.extract_text(visitor_text=visit)
    assert outside == []


def test_a_name_beyond_norwegian_letters_prints_intact() -> None:
    name = "Áilu Čoarvi-Đuolbmu Łukasiewicz"  # Sámi and Polish letters
    [text] = pages(render_certificate(content(volunteer_name=name)))
    assert name in text


def test_a_long_name_and_every_library_of_the_municipality_fit_on_one_page() -> None:
    name = "Anne-Marthe Åsheim Ødegård Bjørnstad-Kvalsvik Ærøy Sunnmørsdotter"
    libraries = {f"bibliotek-{n:02d}": f"Biblioteket i Brattvåg-{n:02d}" for n in range(12)}
    pdf = render_certificate(
        content(volunteer_name=name, branches=tuple(libraries), branch_names=libraries)
    )
    [text] = pages(pdf)
    assert name in text
    assert "Brattvåg-11" in text


def test_the_longest_name_and_the_most_branches_run_onto_another_page() -> None:
    name = " ".join(["Åse Ærø Bjørnstad"] * 11)[:200]
    branches = tuple(f"avdeling-{n:02d}" for n in range(100))
    text = " ".join(pages(render_certificate(content(volunteer_name=name, branches=branches))))
    assert name in text
    assert "avdeling-99" in text


def test_the_same_certificate_is_the_same_bytes() -> None:
    assert render_certificate(content()) == render_certificate(content())


def test_the_name_is_kept_out_of_the_contents_repr() -> None:
    assert "Bjørnstad" not in repr(content())


@pytest.mark.parametrize(
    ("minutes", "locale", "says"),
    [
        (750, Locale.NN, "12,5 timar"),
        (60, Locale.NN, "1 time"),
        (59, Locale.NN, "0,9 timar"),  # rounded down: never more than was served
        (120, Locale.NN, "2 timar"),
        (60_030, Locale.NN, "1\u00a0000,5 timar"),
        (754, Locale.EN, "12.5 hours"),
        (60, Locale.EN, "1 hour"),
    ],
)
def test_hours_are_told_to_a_tenth_in_the_locales_words(
    minutes: int, locale: Locale, says: str
) -> None:
    assert hours(minutes, locale) == says


def test_the_content_of_an_issued_certificate_is_dated_by_the_oslo_date_of_issue() -> None:
    event = CertificateIssued(
        volunteer_id=uuid4(),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 6, 30),
        minutes_served=750,
        branches=["brattvag", "skodje"],
        issued_by=None,
        locale=CertificateLocale.EN,
    )
    issued_at = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 December in Oslo
    made = certificate_content(
        event,
        volunteer_name=NAME,
        issued_at=issued_at,
        wording=ALESUND,
        branch_names={"skodje": "Skodje"},
    )
    assert made == content(Locale.EN, branch_names={"skodje": "Skodje"}, issued_at=issued_at)
