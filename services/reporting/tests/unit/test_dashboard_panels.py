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


def desk_row(site: str, department: str, category: str, helped: int, referred: int = 0) -> Any:
    names = {"digital-help": ("Digital hjelp", "Digital help"), "forms": ("Skjema", "Forms")}
    return {
        "site": site,
        "department": department,
        "category_id": category,
        "category_name": names[category][0],
        "category_name_en": names[category][1],
        "week": date(2026, 11, 2),
        "helped": helped,
        "referred": referred,
    }


DESK: dict[str, Any] = {
    "desk_demand": [
        desk_row("skodje", "library", "digital-help", 5, referred=2),
        desk_row("skodje", "citizen_service", "digital-help", 3),
        desk_row("haroy", "volunteer_centre", "forms", 4, referred=1),
    ],
    "desk_overlap": [
        {
            "site": "skodje",
            "category_id": "digital-help",
            "category_name": "Digital hjelp",
            "category_name_en": "Digital help",
            "by_department": {"library": 5, "citizen_service": 3},
            "helped": 8,
        }
    ],
    "desk_referrals": [
        {"from_department": "library", "to_department": "citizen_service", "referrals": 2},
        {"from_department": "volunteer_centre", "to_department": "library", "referrals": 1},
    ],
}


def test_the_desk_panel_shows_demand_by_category_and_department_and_the_overlap() -> None:
    desk = shown(figures(**DESK)).desk
    assert [f.value for f in desk.figures] == ["12", "3", "1"]
    # Category, library, citizen service, volunteer centre, in all; the most asked for first.
    assert desk.demand_table.rows == (
        ("Digital hjelp", "5", "3", "0", "8"),
        ("Skjema", "0", "0", "4", "4"),
    )
    assert desk.overlap.rows == (("Skodje bibliotek", "Digital hjelp", "5", "3", "0", "8"),)
    assert "Digital help" in shown(figures(**DESK), Locale.EN).desk.demand_bars.svg


def test_the_desk_panel_shows_help_per_week_by_department_and_the_busiest_week() -> None:
    data = {**DESK, "desk_demand": [*DESK["desk_demand"], desk_row("haroy", "library", "forms", 2)]}
    later = {**data["desk_demand"][-1], "week": date(2026, 11, 9)}
    desk = shown(figures(**{**data, "desk_demand": [*data["desk_demand"][:-1], later]})).desk
    assert desk.weekly_table.rows == (
        ("veke 45 2026", "5", "3", "4", "12"),
        ("veke 46 2026", "2", "0", "0", "2"),
    )
    assert desk.weekly_line.summary == (
        "Travlaste veka var veke 45 2026, då det vart gitt hjelp 12 gonger."
    )


def test_the_referral_matrix_has_a_row_per_referring_department_and_none_to_itself() -> None:
    matrix = shown(figures(**DESK)).desk.referrals
    assert matrix.head == (
        "Vist vidare frå",
        "Bibliotek",
        "Innbyggarservice",
        "Frivilligsentral",
        "I alt",
    )
    assert matrix.rows == (
        ("Bibliotek", "\u2013", "2", "0", "2"),
        ("Frivilligsentral", "1", "0", "\u2013", "1"),
    )


def test_working_across_shows_each_site_s_desk_help_and_referrals_beside_its_branch() -> None:
    across = shown(figures(**DESK)).across
    assert across.head[-2:] == ("Hjelp i skranken", "Tilvisingar i skranken")
    by_branch = {row[0]: row[-2:] for row in across.rows}
    assert by_branch == {"Harøy bibliotek": ("4", "1"), "Skodje bibliotek": ("8", "2")}
