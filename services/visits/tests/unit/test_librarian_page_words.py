"""The deposits' and the resource bank's pages say the domain's common refusals in their own
words (each raised by the domain's own decision, so a reworded message shows up as a generic line
and fails), a deposit's course and an overdue one in words, and a page's safe HTML under the
page's own ``h1``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import reduce
from uuid import uuid4

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import (
    AuthorRole,
    CancelledBy,
    OrdererRole,
    ResourceCategory,
    SchoolType,
)
from tvers_contracts.schedule import OSLO
from tvers_runtime.i18n import Locale
from tvers_visits.domain import deposit, resource_page
from tvers_visits.domain.deposit import NO_DEPOSIT, Deposit
from tvers_visits.domain.resource_page import NO_PAGE, EditConflict, PageText, page_text
from tvers_visits.domain.school import School
from tvers_visits.entrypoints.school_page.deposit_views import deposit_view
from tvers_visits.entrypoints.school_page.resource_views import conflict_words, page_html
from tvers_visits.entrypoints.school_page.site import SITE
from tvers_visits.resource_bank import PageView
from tvers_visits.testing.school_page import refusal, said

TODAY = date(2026, 10, 1)
ASPOY = School("aspoy-skule", "Aspøy skule", SchoolType.PRIMARY, "alesund-sentrum")
WANTED = deposit.Order("aspoy-skule", 2, "2A", "Dinosaurar", 25, date(2026, 10, 15))
NYNORSK = SITE.catalogs.translator(Locale.NN)
ENGLISH = SITE.catalogs.translator(Locale.EN)


def ordered(wanted: deposit.Order = WANTED) -> list[DomainEvent]:
    return deposit.order(
        NO_DEPOSIT,
        deposit_id=uuid4(),
        wanted=wanted,
        ordered_by=OrdererRole.SCHOOL_LIBRARIAN,
        today=TODAY,
        school=ASPOY,
    )


def course(
    *steps: Callable[[Deposit], list[DomainEvent]], wanted: deposit.Order = WANTED
) -> Deposit:
    state = reduce(deposit.evolve, ordered(wanted), NO_DEPOSIT)
    for step in steps:
        state = reduce(deposit.evolve, step(state), state)
    return state


def prepare(state: Deposit) -> list[DomainEvent]:
    return deposit.prepare(state, books=24)


def deliver(state: Deposit) -> list[DomainEvent]:
    return deposit.deliver(state, delivered_on=TODAY, due_on=date(2026, 11, 20), today=TODAY)


def test_an_order_on_a_day_out_of_reach_is_said_with_the_days() -> None:
    past = refusal(lambda: ordered(replace(WANTED, wished_delivery_on=TODAY - timedelta(days=1))))
    assert said(past) == "Den ønskte leveringsdatoen har passert. Vel i dag eller ein seinare dag."
    far = refusal(lambda: ordered(replace(WANTED, wished_delivery_on=date(2027, 12, 1))))
    assert (
        said(far) == "Du kan ønskje levering opptil eitt år fram i tid, til og med 1. oktober 2027."
    )
    assert (
        said(far, Locale.EN)
        == "A delivery can be wished up to a year ahead, until October 1, 2027."
    )


def test_cancelling_a_deposit_that_cannot_be_is_said_as_such() -> None:
    cancelled = course(lambda s: deposit.cancel(s, by=CancelledBy.SCHOOL))
    twice = refusal(lambda: deposit.cancel(cancelled, by=CancelledBy.SCHOOL))
    assert said(twice) == "Depotlånet er alt avbestilt."
    delivered = course(prepare, deliver)
    late = refusal(lambda: deposit.cancel(delivered, by=CancelledBy.SCHOOL))
    assert said(late) == "Bøkene er alt leverte, så depotlånet kan ikkje avbestillast lenger."


def test_a_page_refused_for_its_title_or_text_is_said_as_such() -> None:
    category = ResourceCategory.READING_PROMOTION
    assert said(refusal(lambda: page_text(category, " ", "x"))) == "Gje sida ein tittel."
    assert said(refusal(lambda: page_text(category, "a\tb", "x"))) == "Skriv tittelen på ei linje."
    assert said(refusal(lambda: page_text(category, "T" * 201, "x"))) == (
        "Ein tittel kan ha høgst 200 teikn."
    )
    assert said(refusal(lambda: page_text(category, "T", " \n"))) == "Skriv noko tekst på sida."
    assert said(refusal(lambda: page_text(category, "T", "x" * 50_001))) == (
        "Ei side kan ha høgst 50000 teikn tekst, og denne har 50001. Del ho opp i fleire sider."
    )


def test_a_page_taken_or_missing_is_said_as_such() -> None:
    text = PageText(ResourceCategory.READING_PROMOTION, "Bokprat", "Prat om bøker.")
    role = AuthorRole.SCHOOL_LIBRARIAN
    written = resource_page.create(NO_PAGE, slug="bokprat", text=text, role=role)
    page = reduce(resource_page.evolve, written, NO_PAGE)
    taken = refusal(lambda: resource_page.create(page, slug="bokprat", text=text, role=role))
    assert said(taken) == (
        "Det finst alt ei side med den tittelen. Vel ein annan tittel, eller endre den sida."
    )
    missing = refusal(
        lambda: resource_page.edit(NO_PAGE, slug="ukjend", base_version=1, text=text, role=role)
    )
    assert said(missing) == "Vi finn ikkje den sida i ressursbanken."
    ahead = refusal(
        lambda: resource_page.edit(page, slug="bokprat", base_version=5, text=text, role=role)
    )
    assert said(ahead) == "Sida har ingen slik versjon."


def met(by: AuthorRole, *, removed: bool) -> EditConflict:
    """An edit of version 1 that met version 2, saved or a removal, at 13:02 in Oslo."""
    conflict = EditConflict(
        slug="bokprat", base_version=1, current_version=2, changed_by=by, removed=removed
    )
    return conflict.at(datetime(2026, 11, 30, 13, 2, tzinfo=OSLO))


def test_an_edit_that_met_another_says_who_by_role_and_when() -> None:
    saved = conflict_words(met(AuthorRole.STAFF, removed=False), Locale.EN, ENGLISH)
    assert saved.text(ENGLISH).startswith(
        "While you were writing, the library's staff saved version 2 of the page, on November "
        "30, 2026, 1:02\u202fPM. Nothing was saved of yours"
    )
    removed = conflict_words(met(AuthorRole.SCHOOL_LIBRARIAN, removed=True), Locale.NN, NYNORSK)
    assert removed.text(NYNORSK).startswith(
        "Medan du skreiv, tok ein skulebibliotekar sida ut av ressursbanken, 30. november "
        "2026, 13:02."
    )


def test_a_deposit_is_said_in_words_through_its_course_and_when_overdue() -> None:
    def standing(state: Deposit, today: date = TODAY) -> str:
        view = deposit_view(state, today, Locale.NN, NYNORSK)
        return f"{view.standing} {view.detail}"

    requested = course()
    assert standing(requested) == (
        "Status: bestilt. Bestilt 1. oktober 2026, ønskt levert 15. oktober 2026."
    )
    assert deposit_view(requested, TODAY, Locale.NN, NYNORSK).cancellable is not None
    assert standing(course(prepare)).startswith("Status: gjort klar. Biblioteket har sett saman")
    delivered = course(prepare, deliver)
    assert standing(delivered, date(2026, 11, 20)) == (
        "Status: levert. Levert 1. oktober 2026; skal leverast tilbake innan 20. november 2026."
    )
    late = deposit_view(delivered, date(2026, 11, 21), Locale.NN, NYNORSK)
    assert late.overdue
    assert late.standing == "Status: over fristen."
    assert late.cancellable is None
    for_library = course(wanted=replace(WANTED, grade=None, class_label=None))
    assert deposit_view(for_library, TODAY, Locale.EN, ENGLISH).for_whom == (
        "For the school library."
    )


def test_a_pages_headings_stand_under_the_pages_own_title() -> None:
    view = PageView(
        slug="bokprat",
        version=1,
        category=ResourceCategory.READING_PROMOTION,
        title="Bokprat",
        markdown="",
        html='<h1>Bokprat</h1>\n<h2 title="h1">Slik</h2><hr><h6>Små</h6><p>h1</p>',
        author_role=AuthorRole.STAFF,
        written_at=datetime(2026, 11, 30, 13, tzinfo=OSLO),
    )
    assert str(page_html(view)) == (
        '<h2>Bokprat</h2>\n<h3 title="h1">Slik</h3><hr><h6>Små</h6><p>h1</p>'
    )
