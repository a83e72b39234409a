"""The rules of a resource-bank page: versions, and edits that name the version they were based
on, so that two people editing at once never silently overwrite each other."""

from functools import reduce

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import (
    MOST_TEXT_CHARACTERS,
    AuthorRole,
    ResourceCategory,
    ResourcePageRemoved,
    ResourcePageWritten,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_visits.domain import resource_page
from tvers_visits.domain.resource_page import (
    NO_PAGE,
    EditConflict,
    PageText,
    ResourcePage,
    create,
    edit,
    evolve,
    page_text,
    remove,
)

STAFF, LIBRARIAN = AuthorRole.STAFF, AuthorRole.SCHOOL_LIBRARIAN
SLUG = "lanekort"


def text(markdown: str = "Elevane får lånekort.", title: str = "Lånekort") -> PageText:
    return page_text(ResourceCategory.CLASS_VISIT_PROGRAMMES, title, markdown)


def after(*events: DomainEvent) -> ResourcePage:
    return reduce(evolve, events, NO_PAGE)


def _written(version: int) -> ResourcePageWritten:
    return ResourcePageWritten(
        slug=SLUG,
        version=version,
        author_role=STAFF,
        category=ResourceCategory.CLASS_VISIT_PROGRAMMES,
        title="Lånekort",
        markdown=f"Versjon {version}.",
    )


def test_a_new_page_is_version_1_with_the_writers_role() -> None:
    [event] = create(NO_PAGE, slug=SLUG, text=text(), role=LIBRARIAN)
    assert event == ResourcePageWritten(
        slug=SLUG,
        version=1,
        author_role=LIBRARIAN,
        category=ResourceCategory.CLASS_VISIT_PROGRAMMES,
        title="Lånekort",
        markdown="Elevane får lånekort.",
    )


def test_a_slug_is_taken_once() -> None:
    with pytest.raises(Conflict, match="exists already"):
        create(after(_written(1)), slug=SLUG, text=text(), role=STAFF)


def test_an_edit_on_the_latest_version_makes_the_next_version() -> None:
    page = after(_written(1), _written(2))
    [event] = edit(page, slug=SLUG, base_version=2, text=text("Ny tekst."), role=LIBRARIAN)
    assert isinstance(event, ResourcePageWritten)
    assert (event.version, event.markdown, event.author_role) == (3, "Ny tekst.", LIBRARIAN)
    assert evolve(page, event).version == 3


def test_an_edit_based_on_an_older_version_is_refused_and_says_what_happened() -> None:
    page = after(_written(1), _written(2))
    with pytest.raises(EditConflict) as refused:
        edit(page, slug=SLUG, base_version=1, text=text("Mi endring."), role=LIBRARIAN)
    conflict = refused.value
    assert (conflict.base_version, conflict.current_version, conflict.changed_by) == (1, 2, STAFF)
    assert not conflict.removed
    assert "version 2 was saved by staff" in conflict.message
    assert "base_version 2" in conflict.message


def test_two_edits_of_the_same_version_the_second_is_refused() -> None:
    page = after(_written(1))
    first = edit(page, slug=SLUG, base_version=1, text=text("Kari si endring."), role=STAFF)
    page = evolve(page, first[0])
    with pytest.raises(EditConflict):
        edit(page, slug=SLUG, base_version=1, text=text("Ola si endring."), role=LIBRARIAN)


def test_saving_the_same_text_again_makes_no_version() -> None:
    page = after(_written(1))
    same = text("Versjon 1.")
    assert edit(page, slug=SLUG, base_version=1, text=same, role=LIBRARIAN) == []


def test_a_base_version_the_page_does_not_have_is_a_bad_request() -> None:
    with pytest.raises(RuleViolated, match="no version 5"):
        edit(after(_written(1)), slug=SLUG, base_version=5, text=text(), role=STAFF)


def test_no_edit_or_removal_of_a_page_never_written() -> None:
    with pytest.raises(NotFound):
        edit(NO_PAGE, slug=SLUG, base_version=1, text=text(), role=STAFF)
    with pytest.raises(NotFound):
        remove(NO_PAGE, slug=SLUG, base_version=1, role=STAFF)


def test_a_removal_is_a_version_and_an_edit_on_it_writes_the_page_again() -> None:
    page = after(_written(1))
    [removal] = remove(page, slug=SLUG, base_version=1, role=LIBRARIAN)
    assert removal == ResourcePageRemoved(slug=SLUG, version=2, author_role=LIBRARIAN)
    page = evolve(page, removal)
    assert page.removed
    assert remove(page, slug=SLUG, base_version=2, role=STAFF) == []
    with pytest.raises(EditConflict) as refused:
        edit(page, slug=SLUG, base_version=1, text=text(), role=STAFF)
    assert refused.value.removed
    [again] = edit(page, slug=SLUG, base_version=2, text=text("Tilbake."), role=STAFF)
    assert not evolve(page, again).removed
    assert evolve(page, again).version == 3


def test_a_removal_based_on_an_older_version_is_refused() -> None:
    with pytest.raises(EditConflict):
        remove(after(_written(1), _written(2)), slug=SLUG, base_version=1, role=STAFF)


@pytest.mark.parametrize(
    ("title", "markdown", "problem"),
    [
        ("   ", "Tekst.", "needs a title"),
        ("Lånekort", " \n\t ", "needs some text"),
        ("x" * 201, "Tekst.", "at most 200"),
        ("To\nlinjer", "Tekst.", "one line"),
        ("Lånekort", "x" * (MOST_TEXT_CHARACTERS + 1), "at most 50000"),
    ],
)
def test_a_page_text_is_checked(title: str, markdown: str, problem: str) -> None:
    with pytest.raises(RuleViolated, match=problem):
        page_text(ResourceCategory.READING_PROMOTION, title, markdown)


@pytest.mark.parametrize(
    "title", ["\u202eknabssruseR", "To\u2028linjer", "To\x85linjer", "Skjult\u200btekst"]
)
def test_a_title_is_one_line_of_visible_characters(title: str) -> None:
    with pytest.raises(RuleViolated, match="one line"):
        page_text(ResourceCategory.READING_PROMOTION, title, "Tekst.")


def test_a_title_may_join_characters_as_some_scripts_and_emoji_do() -> None:
    title = "Koding for lærarar \U0001f469\u200d\U0001f4bb"
    assert page_text(ResourceCategory.READING_PROMOTION, title, "Tekst.").title == title


def test_a_page_text_drops_spaces_around_the_title_and_keeps_line_ends_as_newlines() -> None:
    checked = page_text(ResourceCategory.READING_PROMOTION, "  Bokbad  ", "a\r\nb")
    assert (checked.title, checked.markdown) == ("Bokbad", "a\nb")


def test_the_longest_text_is_accepted() -> None:
    page_text(ResourceCategory.READING_PROMOTION, "Lang", "æ" * MOST_TEXT_CHARACTERS)


def test_each_municipality_has_its_own_stream_for_a_slug() -> None:
    assert resource_page.stream("1508", SLUG) != resource_page.stream("1532", SLUG)
    assert resource_page.stream("1508", SLUG) == "resource-page-1508-lanekort"
