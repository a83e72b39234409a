"""The dashboard's panels from the figures: the school table sorts, the opening bars average the
weeks, the branch filter keeps its own schools, and the heat map's summary names the busiest
hour, in both languages."""

from datetime import date
from typing import Any

import pytest

from tvers_reporting.entrypoints.dashboard import texts
from tvers_reporting.entrypoints.dashboard.figures import Figures
from tvers_reporting.entrypoints.dashboard.filters import FilterRefused, Filters
from tvers_reporting.entrypoints.dashboard.panels import Panels, Sort, SortKey, panels
from tvers_reporting.read_models.school_queries import Coverage
from tvers_runtime.i18n import Catalogs, Locale

CATALOGS = Catalogs("tvers_reporting")


def figures(branch_id: str | None = None, **changes: Any) -> Figures:
    base: dict[str, Any] = {
        "filters": Filters(date(2026, 11, 1), date(2026, 11, 30), branch_id, "2026-2027"),
        "today": date(2026, 11, 30),
        "branch_names": {"haroy": "Harøy bibliotek", "skodje": "Skodje bibliotek"},
        "school_names": {"a": "Ålvik skule", "b": "Brattvåg skule", "c": "Christi skule"},
        "nearest_branch": {"a": "haroy", "b": "skodje", "c": "skodje"},
        "totals": {},
        "entries": [],
        "denials": [],
        "visitors": [],
        "incidents": [],
        "host_coverage": [],
        "open_hours": [],
        "shifts": [],
        "hours": [],
        "active": {"active": 0, "months": []},
        "recruitment": [],
        "certificates": [],
        "coverage": [
            Coverage("a", 2, classes=3, booked=1, held=1, not_yet=1),
            Coverage("b", 2, classes=2, booked=0, held=0, not_yet=2),
            Coverage("c", 2, classes=1, booked=0, held=1, not_yet=0),
            Coverage("c", 9, classes=4, booked=0, held=0, not_yet=4),
        ],
        "reach": [],
        "deposits": [],
        "theme_days": [],
        "latest_entry_day": None,
    }
    return Figures(**{**base, **changes})


def shown(data: Figures, locale: Locale = Locale.NN, sort: Sort | None = None) -> Panels:
    return panels(data, locale=locale, gettext=CATALOGS.translator(locale), sort=sort or Sort())


def test_the_school_table_sorts_by_name_or_by_a_count_either_way() -> None:
    by_name = [row.school for row in shown(figures()).schools]
    assert by_name == ["Brattvåg skule", "Christi skule", "Ålvik skule"]  # casefolded
    most_not_yet = shown(figures(), sort=Sort(SortKey.SECOND_NOT_YET, descending=True)).schools
    assert [row.school for row in most_not_yet] == [
        "Brattvåg skule",
        "Ålvik skule",
        "Christi skule",
    ]
    assert most_not_yet[0].second == (2, 0, 0, 2)
    assert most_not_yet[2].ninth == (4, 0, 0, 4)


def test_an_unknown_sort_column_or_order_is_refused_with_words() -> None:
    for key, order in (("pupils; DROP TABLE", "desc"), ("school", "sideways")):
        with pytest.raises(FilterRefused) as refused:
            Sort.read(key, order)
        assert refused.value.message == texts.BAD_SORT
    assert Sort.read(None, None) == Sort()


def test_a_branch_shows_the_schools_nearest_to_it() -> None:
    assert [row.school for row in shown(figures("skodje")).schools] == [
        "Brattvåg skule",
        "Christi skule",
    ]


def test_the_opening_bars_show_an_average_week_of_the_weeks_with_opening() -> None:
    weeks = [
        {
            "branch_id": "haroy",
            "week": date(2026, 11, 2),
            "staffed_minutes": 1200,
            "meirope_minutes": 600,
        },
        {
            "branch_id": "haroy",
            "week": date(2026, 11, 9),
            "staffed_minutes": 1800,
            "meirope_minutes": 0,
        },
    ]
    table = shown(figures(open_hours=weeks)).opening_table
    assert table.rows == (("Harøy bibliotek", "25", "5"),)  # (20 h + 30 h) / 2, (10 h + 0) / 2


def test_the_heat_map_names_the_busiest_hour_in_the_pages_language() -> None:
    entries = [
        {"branch_id": "haroy", "weekday": 2, "hour": 19, "staffed": 0, "meirope": 5},
        {"branch_id": "skodje", "weekday": 2, "hour": 19, "staffed": 1, "meirope": 2},
        {"branch_id": "haroy", "weekday": 6, "hour": 10, "staffed": 0, "meirope": 4},
    ]
    assert shown(figures(entries=entries)).heat_map.summary == (
        "Flest innpasseringar på tysdagar kl. 19 (7 i perioden)."
    )
    english = shown(figures(entries=entries), Locale.EN).heat_map.summary
    assert english == "Most entries on Tuesdays at 19:00 (7 in the period)."
