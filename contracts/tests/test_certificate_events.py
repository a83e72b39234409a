"""A certificate issued is an event on the volunteer's stream that states the period, minutes and
branches and who issued it, and keeps itself consistent: a period in order, branches sorted and
each once, an issuer that is an opaque staff id or nobody (the volunteer themselves)."""

from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from tvers_contracts import REGISTRY, event_subject
from tvers_contracts.events.volunteers import CertificateIssued, CertificateLocale


def certificate(**fields: Any) -> dict[str, Any]:
    return {
        "volunteer_id": str(uuid4()),
        "period_from": "2026-01-01",
        "period_to": "2026-06-30",
        "minutes_served": 750,
        "branches": ["brattvag", "skodje"],
        "issued_by": "staff:5e1f",
        "locale": "nn",
        **fields,
    }


def test_a_certificate_travels_on_the_volunteers_subject() -> None:
    assert event_subject(CertificateIssued) == "volunteers.volunteer.certificate_issued"
    assert REGISTRY.current("CertificateIssued") is CertificateIssued


def test_a_certificate_the_volunteer_issued_themselves_names_no_staff_member() -> None:
    event = CertificateIssued.model_validate(certificate(issued_by=None, locale="en"))
    assert (event.issued_by, event.locale) == (None, CertificateLocale.EN)


def test_a_one_day_period_is_a_period() -> None:
    CertificateIssued.model_validate(certificate(period_to="2026-01-01"))


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="end before it starts"):
        CertificateIssued.model_validate(certificate(period_to="2025-12-31"))


@pytest.mark.parametrize(
    "branches", [["skodje", "brattvag"], ["skodje", "skodje"], ["Skodje"], ["skodje kyrkje"]]
)
def test_branches_are_slugs_sorted_and_each_given_once(branches: list[str]) -> None:
    with pytest.raises(ValidationError):
        CertificateIssued.model_validate(certificate(branches=branches))


@pytest.mark.parametrize("minutes", [-1, 1830 * 24 * 60 + 1])
def test_minutes_are_a_count_within_five_years_around_the_clock(minutes: int) -> None:
    with pytest.raises(ValidationError, match="minutes_served"):
        CertificateIssued.model_validate(certificate(minutes_served=minutes))


@pytest.mark.parametrize("issued_by", ["Kari Nordmann", "kari@example.no"])
def test_the_issuer_is_an_opaque_staff_id_never_a_name_or_address(issued_by: str) -> None:
    with pytest.raises(ValidationError, match="issued_by"):
        CertificateIssued.model_validate(certificate(issued_by=issued_by))


def test_a_certificate_in_another_language_is_refused() -> None:
    with pytest.raises(ValidationError, match="locale"):
        CertificateIssued.model_validate(certificate(locale="nb"))
