"""The category list: staff add, rename and retire categories; ids stay for good."""

from functools import reduce

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.desk import CategoryAdded, CategoryRenamed, CategoryRetired
from tvers_desk.domain import categories
from tvers_desk.domain.categories import NO_CATEGORIES, CategoryList
from tvers_desk.domain.errors import (
    CategoryExists,
    CategoryNameTaken,
    CategoryNotFound,
    CategoryNotOffered,
    CategoryRetiredBefore,
    UnknownCategory,
)


def after(events: list[DomainEvent], start: CategoryList = NO_CATEGORIES) -> CategoryList:
    return reduce(categories.evolve, events, start)


DEFAULTS = after(categories.start_with_defaults(NO_CATEGORIES))


def test_a_new_list_starts_with_the_default_categories_once() -> None:
    assert [c.category_id for c in DEFAULTS.offered()] == [
        category_id for category_id, _, _ in categories.DEFAULT_CATEGORIES
    ]
    assert "bankid-id-porten" in DEFAULTS.categories
    assert categories.start_with_defaults(DEFAULTS) == []


def test_a_list_staff_emptied_is_not_filled_again() -> None:
    emptied = after(
        [CategoryRetired(category_id=c.category_id) for c in DEFAULTS.offered()], DEFAULTS
    )
    assert emptied.offered() == []
    assert categories.start_with_defaults(emptied) == []


def test_a_category_is_added_with_names_in_nynorsk_and_english() -> None:
    events = categories.add(DEFAULTS, "pension", "Pensjon", "Pension")
    assert events == [CategoryAdded(category_id="pension", name="Pensjon", name_en="Pension")]
    assert after(events, DEFAULTS).get("pension").name == "Pensjon"


def test_an_id_taken_before_is_refused_even_when_retired() -> None:
    retired = after(categories.retire(DEFAULTS, "other"), DEFAULTS)
    with pytest.raises(CategoryExists):
        categories.add(retired, "other", "Noko anna", "Something else")


def test_a_name_another_offered_category_has_is_refused_in_any_case() -> None:
    with pytest.raises(CategoryNameTaken):
        categories.add(DEFAULTS, "digital", "DIGITAL HJELP", "Digital support")
    with pytest.raises(CategoryNameTaken):
        categories.add(DEFAULTS, "digital", "Digitalt", "digital help")


def test_a_retired_categorys_name_may_be_given_to_a_new_one() -> None:
    retired = after(categories.retire(DEFAULTS, "other"), DEFAULTS)
    assert categories.add(retired, "other-help", "Anna", "Other")


def test_a_rename_keeps_the_id() -> None:
    events = categories.rename(DEFAULTS, "digital-help", "Digital støtte", "Digital support")
    assert events == [
        CategoryRenamed(
            category_id="digital-help", name="Digital støtte", name_en="Digital support"
        )
    ]
    renamed = after(events, DEFAULTS)
    assert renamed.get("digital-help").name_en == "Digital support"
    assert [c.category_id for c in renamed.offered()] == [c.category_id for c in DEFAULTS.offered()]


def test_a_rename_may_give_one_language_and_keep_the_other() -> None:
    [event] = categories.rename(DEFAULTS, "other", name_en="Something else")
    assert event == CategoryRenamed(category_id="other", name="Anna", name_en="Something else")


def test_a_rename_to_the_same_names_changes_nothing() -> None:
    same = DEFAULTS.get("other")
    assert categories.rename(DEFAULTS, "other", same.name, same.name_en) == []


def test_a_rename_to_another_categorys_name_is_refused() -> None:
    with pytest.raises(CategoryNameTaken):
        categories.rename(DEFAULTS, "other", "Digital hjelp", "Other")


def test_a_retired_category_is_no_longer_offered_but_still_known() -> None:
    retired = after(categories.retire(DEFAULTS, "printing-scanning"), DEFAULTS)
    assert "printing-scanning" not in [c.category_id for c in retired.offered()]
    assert retired.get("printing-scanning").retired
    with pytest.raises(CategoryNotOffered):
        retired.check_offered("printing-scanning")


def test_a_retired_category_takes_no_more_changes() -> None:
    retired = after(categories.retire(DEFAULTS, "other"), DEFAULTS)
    with pytest.raises(CategoryRetiredBefore):
        categories.retire(retired, "other")
    with pytest.raises(CategoryRetiredBefore):
        categories.rename(retired, "other", "Anna hjelp", "Other help")


def test_an_unknown_category_is_refused() -> None:
    with pytest.raises(UnknownCategory):
        DEFAULTS.check_offered("astrology")
    with pytest.raises(CategoryNotFound):
        categories.rename(DEFAULTS, "astrology", "Astrologi", "Astrology")
    with pytest.raises(CategoryNotFound):
        categories.retire(DEFAULTS, "astrology")


def test_a_name_that_differs_only_in_spacing_or_unicode_form_is_taken() -> None:
    with pytest.raises(CategoryNameTaken):
        categories.rename(DEFAULTS, "other", " Digital  hjelp ", "Other")
    with pytest.raises(CategoryNameTaken):
        categories.add(DEFAULTS, "digital", "Ny", "Digital\u00a0help")
    with pytest.raises(CategoryNameTaken):
        categories.add(DEFAULTS, "digital", "Digital hjelp\u200b", "New")
