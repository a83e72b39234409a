"""The desk page reads its form into a record, or says what to choose instead, and says each
refusal of the domain in its own words (raised through the domain, so a reworded message in the
domain shows here)."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import reduce
from uuid import uuid4

import pytest

from tvers_contracts.events.desk import Channel, Department, Duration, UndoReason
from tvers_desk.domain import categories, help_record
from tvers_desk.domain.categories import NO_CATEGORIES
from tvers_desk.domain.help_record import NO_RECORD, NewHelp
from tvers_desk.domain.sites import DEFAULT_SITES
from tvers_desk.entrypoints.desk_page import texts
from tvers_desk.entrypoints.desk_page.record_form import (
    FormRefused,
    read_record,
    record_body,
)
from tvers_desk.entrypoints.desk_page.refusals import REFUSALS
from tvers_runtime.domain import DomainError
from tvers_runtime.i18n import Locale

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LIST = reduce(categories.evolve, categories.start_with_defaults(NO_CATEGORIES), NO_CATEGORIES)
RETIRED = reduce(categories.evolve, categories.retire(LIST, "other"), LIST)
PRINTING = NewHelp(
    site="skodje",
    department=Department.LIBRARY,
    category_id="printing-scanning",
    channel=Channel.IN_PERSON,
    duration=Duration.UNDER_5_MINUTES,
)
FORM = {
    "site": "skodje",
    "department": "library",
    "category": "printing-scanning",
    "channel": "in_person",
    "duration": "under_5_minutes",
    "referred_to": "",
}


def given(new: NewHelp = PRINTING) -> help_record.HelpRecord:
    events = help_record.give(
        NO_RECORD, uuid4(), new, sites=DEFAULT_SITES, categories=RETIRED, now=NOW
    )
    return reduce(help_record.evolve, events, NO_RECORD)


def refusal(act: Callable[[], object]) -> DomainError:
    with pytest.raises(DomainError) as raised:
        act()
    return raised.value


def give(new: NewHelp) -> Callable[[], object]:
    return lambda: help_record.give(
        NO_RECORD, uuid4(), new, sites=DEFAULT_SITES, categories=RETIRED, now=NOW
    )


@pytest.mark.parametrize(
    ("act", "words"),
    [
        (give(replace(PRINTING, site="molde")), texts.UNKNOWN_SITE),
        (give(replace(PRINTING, category_id="astrology")), texts.UNKNOWN_CATEGORY),
        (give(replace(PRINTING, category_id="other")), texts.CATEGORY_RETIRED),
        (give(replace(PRINTING, referred_to=Department.LIBRARY)), texts.OWN_DEPARTMENT),
        (
            lambda: help_record.undo(
                given(), UndoReason.RECORDED_BY_MISTAKE, now=NOW + timedelta(minutes=5)
            ),
            texts.UNDO_TOO_LATE,
        ),
        (
            lambda: help_record.undo(
                reduce(
                    help_record.evolve,
                    help_record.undo(given(), UndoReason.RECORDED_TWICE, now=NOW),
                    given(),
                ),
                UndoReason.RECORDED_BY_MISTAKE,
                now=NOW,
            ),
            texts.ALREADY_UNDONE,
        ),
        (
            lambda: help_record.undo(
                given(), UndoReason.RECORDED_BY_MISTAKE, now=NOW, only_site="haroy"
            ),
            texts.NO_SUCH_RECORD,
        ),
    ],
)
def test_each_refusal_of_the_domain_has_the_pages_own_words(
    act: Callable[[], object], words: str
) -> None:
    said = REFUSALS.words_for(refusal(act), Locale.NN)
    assert said.message == words
    assert said.detail is None


def test_the_form_reads_into_the_help_it_records() -> None:
    read = read_record(
        {**FORM, "referred_to": "volunteer_centre"}, own_site="skodje", sites=DEFAULT_SITES
    )
    assert read == replace(PRINTING, referred_to=Department.VOLUNTEER_CENTRE)
    assert read_record(FORM, own_site=None, sites=DEFAULT_SITES) == PRINTING


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"site": ""}, 422, texts.CHOOSE_SITE),
        ({"site": "haroy"}, 403, texts.OTHER_SITE),
        ({"department": "mayor"}, 422, texts.CHOOSE_DEPARTMENT),
        ({"category": ""}, 422, texts.CHOOSE_CATEGORY),
        ({"channel": "fax"}, 422, texts.CHOOSE_CHANNEL),
        ({"duration": ""}, 422, texts.CHOOSE_DURATION),
        ({"referred_to": "police"}, 422, texts.CHOOSE_REFERRAL),
    ],
)
def test_a_form_that_is_no_record_says_what_to_choose(
    changes: dict[str, str], status: int, words: str
) -> None:
    with pytest.raises(FormRefused) as refused:
        read_record({**FORM, **changes}, own_site="skodje", sites=DEFAULT_SITES)
    assert refused.value.status_code == status
    assert refused.value.words.message == words


def test_the_fingerprint_covers_the_record_not_the_forms_token() -> None:
    with_token = {**FORM, "form_token": "one", "form_key": "k" * 36}
    newer = {**FORM, "form_token": "two", "form_key": "k" * 36}
    assert record_body(with_token) == record_body(newer)
    assert record_body(FORM) != record_body({**FORM, "duration": "over_15_minutes"})
