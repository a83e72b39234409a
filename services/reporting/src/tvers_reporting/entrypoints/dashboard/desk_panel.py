"""The dashboard's desk panel, shaped from the figures: help given at the innbyggartorg sites by
category and department (bars and their table), the categories more than one department
handles at the same site (the overlap: the evidence for or against sharing premises), and the
referrals between departments as a matrix. Pure: no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tvers_contracts.events.desk import Department
from tvers_reporting.charts import Chart, grouped_bars, line
from tvers_reporting.entrypoints.dashboard.figures import Figures
from tvers_reporting.entrypoints.dashboard.shapes import KeyFigure, Table, week_label
from tvers_runtime.i18n import Locale, _

Translate = Callable[[str], str]
Number = Callable[[float], str]
DEPARTMENTS: dict[Department, str] = {
    Department.LIBRARY: _("Library"),
    Department.CITIZEN_SERVICE: _("Citizen service"),
    Department.VOLUNTEER_CENTRE: _("Volunteer centre"),
}
#: A department never refers to itself: its cell in the matrix is no figure.
NONE = "\u2013"


@dataclass(frozen=True)
class DeskPanel:
    """The desk section of the page."""

    figures: tuple[KeyFigure, ...]
    demand_bars: Chart
    demand_table: Table
    weekly_line: Chart
    weekly_table: Table
    overlap: Table
    referrals: Table


def desk_panel(figures: Figures, *, locale: Locale, gettext: Translate, n: Number) -> DeskPanel:
    """The desk section in a language."""
    bars, table = _demand(figures, locale, gettext, n)
    weekly, weekly_table = _weekly(figures, gettext, n)
    return DeskPanel(
        figures=_key_figures(figures, gettext, n),
        demand_bars=bars,
        demand_table=table,
        weekly_line=weekly,
        weekly_table=weekly_table,
        overlap=_overlap(figures, locale, gettext, n),
        referrals=_referrals(figures, gettext, n),
    )


def desk_across(figures: Figures) -> dict[str, tuple[int, int]]:
    """Per site (a branch id), help given and referrals made in the period."""
    by_site: dict[str, tuple[int, int]] = {}
    for row in figures.desk_demand:
        helped, referred = by_site.get(row["site"], (0, 0))
        by_site[row["site"]] = (helped + row["helped"], referred + row["referred"])
    return by_site


def _key_figures(figures: Figures, gettext: Translate, n: Number) -> tuple[KeyFigure, ...]:
    helped = sum(row["helped"] for row in figures.desk_demand)
    referred = sum(row["referred"] for row in figures.desk_demand)
    return (
        KeyFigure(gettext("Help given at the desks"), n(helped)),
        KeyFigure(gettext("Referred on to another department"), n(referred)),
        KeyFigure(
            gettext("Categories handled by two or more departments at one site"),
            n(len(figures.desk_overlap)),
        ),
    )


def _weekly(figures: Figures, gettext: Translate, n: Number) -> tuple[Chart, Table]:
    """Help given per Oslo week (all the departments together as a line, each in the table)."""
    weeks: dict[date, dict[Department, int]] = defaultdict(lambda: dict.fromkeys(DEPARTMENTS, 0))
    for row in figures.desk_demand:
        weeks[row["week"]][Department(row["department"])] += row["helped"]

    title = gettext("Help given at the desks per week")
    totals = [
        (week_label(week, gettext), float(sum(by.values()))) for week, by in sorted(weeks.items())
    ]
    busiest = max(totals, key=lambda point: point[1], default=None)
    summary = (
        gettext("No help recorded at the desks in the period.")
        if busiest is None
        else gettext("The busiest week was {week}, with {count} times help was given.").format(
            week=busiest[0], count=n(busiest[1])
        )
    )
    chart = line(
        [(name, value) for name, value in totals],
        title=title,
        summary=summary,
        value_label=n,
        id_prefix="desk-weekly",
        empty_message=gettext("No help recorded at the desks in the period."),
    )
    table = Table(
        caption=title,
        head=(
            gettext("Week"),
            *(gettext(name) for name in DEPARTMENTS.values()),
            gettext("In all"),
        ),
        rows=tuple(
            (week_label(week, gettext), *(n(by[d]) for d in DEPARTMENTS), n(sum(by.values())))
            for week, by in sorted(weeks.items())
        ),
        empty=gettext("No help recorded at the desks in the period."),
    )
    return chart, table


def _category_name(row: dict[str, object], locale: Locale) -> str:
    return str(row["category_name_en" if locale is Locale.EN else "category_name"])


def _demand(figures: Figures, locale: Locale, gettext: Translate, n: Number) -> tuple[Chart, Table]:
    counts: dict[str, dict[Department, int]] = defaultdict(lambda: dict.fromkeys(DEPARTMENTS, 0))
    names: dict[str, str] = {}
    for row in figures.desk_demand:
        counts[row["category_id"]][Department(row["department"])] += row["helped"]
        names[row["category_id"]] = _category_name(row, locale)
    shown = sorted(counts, key=lambda c: (-sum(counts[c].values()), names[c].casefold()))
    title = gettext("Help given by category and department")
    empty = gettext("No help recorded at the desks in the period.")
    if shown:
        top = shown[0]
        summary = gettext("Most help was with {category}: {count} in the period.").format(
            category=names[top], count=n(sum(counts[top].values()))
        )
    else:
        summary = empty
    chart = grouped_bars(
        [names[c] for c in shown],
        [
            (gettext(label), [float(counts[c][department]) for c in shown])
            for department, label in DEPARTMENTS.items()
        ],
        title=title,
        summary=summary,
        value_label=n,
        id_prefix="desk",
        empty_message=empty,
    )
    table = Table(
        caption=title,
        head=(
            gettext("Category"),
            *(gettext(label) for label in DEPARTMENTS.values()),
            gettext("In all"),
        ),
        rows=tuple(
            (
                names[c],
                *(n(counts[c][department]) for department in DEPARTMENTS),
                n(sum(counts[c].values())),
            )
            for c in shown
        ),
        empty=empty,
    )
    return chart, table


def _overlap(figures: Figures, locale: Locale, gettext: Translate, n: Number) -> Table:
    def site(row: dict[str, object]) -> str:
        return figures.branch_names.get(str(row["site"]), str(row["site"]))

    rows = sorted(figures.desk_overlap, key=lambda r: (site(r).casefold(), -int(r["helped"])))
    return Table(
        caption=gettext("Categories more than one department handles at the same site"),
        head=(
            gettext("Site"),
            gettext("Category"),
            *(gettext(label) for label in DEPARTMENTS.values()),
            gettext("In all"),
        ),
        rows=tuple(
            (
                site(row),
                _category_name(row, locale),
                *(n(row["by_department"].get(d.value, 0)) for d in DEPARTMENTS),
                n(row["helped"]),
            )
            for row in rows
        ),
        empty=gettext("No category was handled by more than one department at a site."),
    )


def _referrals(figures: Figures, gettext: Translate, n: Number) -> Table:
    matrix: dict[tuple[str, str], int] = defaultdict(int)
    for row in figures.desk_referrals:
        matrix[row["from_department"], row["to_department"]] += row["referrals"]
    senders = [d for d in DEPARTMENTS if any(matrix[d.value, to.value] for to in DEPARTMENTS)]
    return Table(
        caption=gettext(
            "Referrals between departments: from the department in the row to the one in the column"
        ),
        head=(
            gettext("Referred from"),
            *(gettext(label) for label in DEPARTMENTS.values()),
            gettext("In all"),
        ),
        rows=tuple(
            (
                gettext(DEPARTMENTS[sender]),
                *(
                    NONE if to is sender else n(matrix[sender.value, to.value])
                    for to in DEPARTMENTS
                ),
                n(sum(matrix[sender.value, to.value] for to in DEPARTMENTS)),
            )
            for sender in senders
        ),
        empty=gettext("No referrals between departments in the period."),
    )
