"""The page says the domain's common refusals in its own words, in nynorsk and English. Each
refusal here is raised by the domain's own decision, so a reworded domain message shows up as a
generic line and fails the test."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from tvers_contracts.events.volunteers import CertificateLocale
from tvers_runtime.domain import Conflict, DomainError, NotFound, RuleViolated
from tvers_runtime.i18n import Locale
from tvers_volunteers.domain import attendance, certificates, claims, commitments, shift
from tvers_volunteers.domain.certificates import Period
from tvers_volunteers.domain.commitments import Commitments
from tvers_volunteers.entrypoints.page.refusals import (
    NOT_ALLOWED,
    NOT_FOUND,
    NOT_NOW,
    words_for,
)
from tvers_volunteers.entrypoints.page.rendering import CATALOGS
from tvers_volunteers.testing.domain import (
    claimed_by,
    eligible,
    fold,
    free,
    id_of,
    oslo,
    published,
    registered,
)

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
STARTS = oslo(date(2026, 11, 30), "18:00")
TODAY = NOW.date()
GENERIC = {NOT_FOUND, NOT_NOW, NOT_ALLOWED}


def refusal(decide: Callable[[], object]) -> DomainError:
    with pytest.raises(DomainError) as raised:
        decide()
    return raised.value


def said(error: DomainError, locale: Locale = Locale.NN) -> str:
    return words_for(error, locale).text(CATALOGS.translator(locale))


def test_the_common_refusals_of_places_are_said_in_the_pages_own_words() -> None:
    holder = eligible(today=TODAY)
    full = claimed_by(published(starts_at=STARTS, now=NOW, capacity=1), holder, now=NOW)
    late = NOW + timedelta(days=3)
    other = eligible(today=TODAY)
    cases = {
        "Vakta er full.": lambda: claims.claim(
            full, volunteer=other, commitments=free(other), now=NOW
        ),
        "Du har alt denne vakta.": lambda: claims.claim(
            full, volunteer=holder, commitments=free(holder), now=NOW
        ),
        "Vakta er over.": lambda: claims.take_place(full, volunteer_id=uuid4(), now=late),
        "Du har ikkje denne vakta.": lambda: claims.release(
            full, volunteer_id=id_of(other), able=[], now=NOW
        ),
        "Vakta har byrja, så du kan ikkje gje ho frå deg her.": lambda: claims.release(
            full, volunteer_id=id_of(holder), able=[], now=STARTS
        ),
        "Du står ikkje på ventelista.": lambda: claims.leave_waitlist(
            full, volunteer_id=id_of(other)
        ),
        "Vakta har ein ledig plass: ta han i staden.": lambda: claims.join_waitlist(
            published(starts_at=STARTS, now=NOW), volunteer=other, now=NOW
        ),
        "Berre bibliotekvenner som har vist politiattest": lambda: claims.claim(
            published(starts_at=STARTS, now=NOW),
            volunteer=registered(today=TODAY),
            commitments=Commitments(uuid4()),
            now=NOW,
        ),
        "Vi finn ikkje den vakta.": lambda: claims.claim(
            shift.NO_SHIFT, volunteer=other, commitments=free(other), now=NOW
        ),
    }
    for expected, decide in cases.items():
        error = refusal(decide)
        assert expected in said(error), (error.message, said(error))
        assert words_for(error, Locale.NN).detail is None


def test_an_overlapping_shift_is_said_without_the_domains_english() -> None:
    one = eligible(today=TODAY)
    first = published(starts_at=STARTS, now=NOW)
    events = claims.claim(first, volunteer=one, commitments=free(one), now=NOW)
    held = fold(free(one), events, commitments.evolve)
    overlapping = published(starts_at=STARTS + timedelta(hours=1), now=NOW)
    error = refusal(lambda: claims.claim(overlapping, volunteer=one, commitments=held, now=NOW))
    assert said(error) == "Du har alt ei anna vakt på same tid."
    assert said(error, Locale.EN) == "You already have another shift at the same time."


def test_check_in_before_the_window_says_when_it_opens_in_each_language() -> None:
    holder = eligible(today=TODAY)
    state = claimed_by(published(starts_at=STARTS, now=NOW), holder, now=NOW)
    error = refusal(lambda: attendance.check_in(state, volunteer_id=id_of(holder), now=NOW))
    assert isinstance(error, Conflict)
    assert said(error) == "Innsjekkinga opnar 30.11.2026, 17:30."
    assert said(error, Locale.EN).startswith("Check-in opens 11/30/26, 5:30")


def test_a_certificate_for_a_period_without_hours_or_not_yet_over_is_said_in_words() -> None:
    volunteer = eligible(today=TODAY)
    no_hours = refusal(
        lambda: certificates.issue(
            volunteer,
            period=Period.ended_by(date(2026, 1, 1), date(2026, 1, 31), today=TODAY),
            served=[],
            issued_by=None,
            locale=CertificateLocale.NN,
            today=TODAY,
        )
    )
    assert "Du har ingen timar i den perioden" in said(no_hours)
    after_today = refusal(lambda: Period.ended_by(TODAY, TODAY + timedelta(days=1), today=TODAY))
    assert said(after_today) == "Perioden kan ikkje slutte etter i dag."
    backwards = refusal(lambda: Period.ended_by(TODAY, TODAY - timedelta(days=1), today=TODAY))
    assert said(backwards) == "Perioden kan ikkje slutte før han byrjar."


def test_another_refusal_gets_a_line_for_its_kind_and_the_domains_own_words() -> None:
    for error, line in (
        (NotFound("no campaign 42"), "Vi fann ikkje det du spurde etter."),
        (Conflict("something new"), "Det gjekk ikkje akkurat no."),
        (RuleViolated("some rule"), "Det er ikkje lov."),
    ):
        words = words_for(error, Locale.NN)
        assert words.message in GENERIC
        assert said(error) == line
        assert words.detail == error.message
