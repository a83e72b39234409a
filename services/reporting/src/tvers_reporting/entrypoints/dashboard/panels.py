"""The dashboard's panels, shaped from the figures (:mod:`.figures`) in a language: key
figures, charts with their text alternatives, and tables. Pure: no I/O.

- **Meirope**: entries by weekday and hour (a heat map), visits in staffed and unstaffed hours
  per branch (bars), denials by reason, unique visitors per month, alarms and closings;
- **Volunteers**: host coverage per week (a line), shifts, hours, active volunteers,
  recruitment and certificates;
- **Schools**: the school year's 2nd- and 9th-grade coverage per school (a sortable table),
  pupils, cards, deposits and theme days;
- **The desks** (:mod:`.desk_panel`): help given at the innbyggartorg sites by category and
  department, the overlap between departments, and the referrals between them;
- **Working across**: every strand's figures for the same branch, side by side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from tvers_contracts.events.access import DenialReason
from tvers_contracts.events.volunteers import RecruitmentChannel
from tvers_reporting.charts import Chart, grouped_bars, heat_map, line
from tvers_reporting.entrypoints.dashboard import texts
from tvers_reporting.entrypoints.dashboard.desk_panel import DeskPanel, desk_across, desk_panel
from tvers_reporting.entrypoints.dashboard.figures import Figures
from tvers_reporting.entrypoints.dashboard.filters import FilterRefused
from tvers_reporting.entrypoints.dashboard.shapes import KeyFigure, Table, week_label
from tvers_reporting.read_models.school_queries import Coverage
from tvers_runtime.i18n import Locale, _, local_date, local_number

Translate = Callable[[str], str]
WEEKDAYS_NN = ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "søndag")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: The hours the heat map always shows; an entry earlier or later widens it.
USUAL_HOURS = range(7, 23)
DENIAL_REASONS: dict[str, str] = {
    DenialReason.OUTSIDE_MEIROPE_HOURS: _("Outside meirope hours"),
    DenialReason.NO_AGREEMENT: _("No meirope agreement"),
    DenialReason.SUSPENDED: _("Agreement suspended"),
    DenialReason.WRONG_PIN: _("Wrong PIN"),
    DenialReason.UNKNOWN_CARD: _("Unknown card"),
    DenialReason.BLOCKED_CARD: _("Card blocked"),
    DenialReason.UNDER_AGE: _("Too young"),
    DenialReason.LIBRARY_SYSTEM_UNREACHABLE: _("Library system not answering"),
}
CHANNELS: dict[str, str] = {
    RecruitmentChannel.MALL_STAND: _("Stand at the shopping centre"),
    RecruitmentChannel.LOCAL_MEDIA: _("Local media"),
    RecruitmentChannel.FRISKUS: _("Friskus"),
    RecruitmentChannel.SOCIAL_MEDIA: _("Social media"),
    RecruitmentChannel.VGS_VISIT: _("Visit to an upper secondary school"),
    RecruitmentChannel.WORD_OF_MOUTH: _("Word of mouth"),
    RecruitmentChannel.OTHER: _("Other"),
}
DEPOSIT_STATUSES: dict[str, str] = {
    "requested": _("Requested"),
    "prepared": _("Prepared"),
    "delivered": _("Delivered"),
    "returned": _("Returned"),
    "cancelled": _("Cancelled"),
}


#: The school table's orders (``order``), by whether they are descending.
_DESCENDING = {"asc": False, "desc": True}


class SortKey(StrEnum):
    """The columns the school table sorts by."""

    SCHOOL = "school"
    SECOND_NOT_YET = "second-not-yet"
    NINTH_NOT_YET = "ninth-not-yet"
    SECOND_HELD = "second-held"
    NINTH_HELD = "ninth-held"


@dataclass(frozen=True)
class Sort:
    """How the school table is sorted."""

    key: SortKey = SortKey.SCHOOL
    descending: bool = False

    @classmethod
    def read(cls, key: str | None, order: str | None) -> Sort:
        """The sort a query asks for, by school and ascending unless it says otherwise;
        :class:`FilterRefused` for a column or an order the table does not have."""
        try:
            return cls(SortKey(key or SortKey.SCHOOL), _DESCENDING[order or "asc"])
        except (KeyError, ValueError):
            raise FilterRefused(texts.BAD_SORT) from None


@dataclass(frozen=True)
class SchoolRow:
    """One school's line in the coverage table: per programme grade, classes, held, booked and
    not yet."""

    school: str
    second: tuple[int, int, int, int]
    ninth: tuple[int, int, int, int]


@dataclass(frozen=True)
class Panels:
    """Everything the page shows."""

    key_figures: tuple[KeyFigure, ...]
    heat_map: Chart
    heat_table: Table
    visits_bars: Chart
    visits_table: Table
    opening_bars: Chart
    opening_table: Table
    denials: Table
    visitors: Table
    incidents: tuple[KeyFigure, ...]
    coverage_line: Chart
    coverage_table: Table
    volunteers: tuple[KeyFigure, ...]
    recruitment: Table
    schools: tuple[SchoolRow, ...]
    school_sort: Sort
    school_figures: tuple[KeyFigure, ...]
    deposits: Table
    desk: DeskPanel
    across: Table
    newest_day: str | None


def panels(figures: Figures, *, locale: Locale, gettext: Translate, sort: Sort) -> Panels:
    """The page's panels in a language."""
    n = _numbers(locale)
    across = _across(figures, gettext, n)
    line_chart, line_table = _coverage(figures, locale, gettext)
    heat, heat_table = _heat_map(figures, locale, gettext, n)
    bars, bars_table = _visits_bars(figures, gettext, n)
    opening, opening_table = _opening_bars(figures, gettext, n)
    return Panels(
        key_figures=_key_figures(figures, gettext, n),
        heat_map=heat,
        heat_table=heat_table,
        visits_bars=bars,
        visits_table=bars_table,
        opening_bars=opening,
        opening_table=opening_table,
        denials=_denials(figures, gettext, n),
        visitors=_visitors(figures, locale, gettext, n),
        incidents=_incidents(figures, gettext, n),
        coverage_line=line_chart,
        coverage_table=line_table,
        volunteers=_volunteers(figures, gettext, n),
        recruitment=_recruitment(figures, gettext, n),
        schools=_schools(figures, sort),
        school_sort=sort,
        school_figures=_school_figures(figures, gettext, n),
        deposits=_deposits(figures, gettext, n),
        desk=desk_panel(figures, locale=locale, gettext=gettext, n=n),
        across=across,
        newest_day=_newest_day(figures, locale),
    )


def _numbers(locale: Locale) -> Callable[[float], str]:
    return lambda value: local_number(value, locale)


def _percent(share: float | None, n: Callable[[float], str]) -> str:
    return "\u2013" if share is None else f"{n(round(share * 100))} %"


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _branches_shown(figures: Figures) -> list[str]:
    """The branches of the page: the one chosen, or every branch known (by name)."""
    if figures.filters.branch_id is not None:
        return [figures.filters.branch_id]
    known = set(figures.branch_names) | set(figures.totals)
    known |= {row["site"] for row in figures.desk_demand}  # a site's id is its branch's (0043)
    return sorted(known, key=lambda b: figures.branch_names.get(b, b))


def _name(figures: Figures, branch_id: str) -> str:
    return figures.branch_names.get(branch_id, branch_id)


def _total(rows: Iterable[Mapping[str, Any]], field: str) -> int:
    return sum(int(row[field] or 0) for row in rows)


def _entries_by_branch(figures: Figures) -> dict[str, tuple[int, int]]:
    by_branch: dict[str, tuple[int, int]] = {}
    for row in figures.entries:
        staffed, meirope = by_branch.get(row["branch_id"], (0, 0))
        by_branch[row["branch_id"]] = (staffed + row["staffed"], meirope + row["meirope"])
    return by_branch


def _hosting(figures: Figures) -> dict[str, tuple[int, int]]:
    """Per branch, meirope minutes and hosted minutes over the period."""
    by_branch: dict[str, tuple[int, int]] = {}
    for row in figures.host_coverage:
        total, hosted = by_branch.get(row["branch_id"], (0, 0))
        by_branch[row["branch_id"]] = (
            total + row["meirope_minutes"],
            hosted + row["hosted_minutes"],
        )
    return by_branch


def _key_figures(
    figures: Figures, gettext: Translate, n: Callable[[float], str]
) -> tuple[KeyFigure, ...]:
    entries = _entries_by_branch(figures)
    hosting = _hosting(figures)
    minutes = _total(figures.hours, "minutes")
    reach = [r for r in figures.reach if _school_in_branch(figures, r.school_id)]
    return (
        KeyFigure(gettext("Visits in meirope hours"), n(sum(m for _, m in entries.values()))),
        KeyFigure(gettext("Visits in staffed hours"), n(sum(s for s, _ in entries.values()))),
        KeyFigure(
            gettext("Meirope hours with a host"),
            _percent(
                _share(sum(h for _, h in hosting.values()), sum(t for t, _ in hosting.values())),
                n,
            ),
        ),
        KeyFigure(gettext("Volunteer hours"), n(minutes // 60)),
        KeyFigure(gettext("Class visits held"), n(sum(r.visits for r in reach))),
        KeyFigure(gettext("Library cards for pupils"), n(sum(r.library_cards for r in reach))),
    )


def _heat_map(
    figures: Figures, locale: Locale, gettext: Translate, n: Callable[[float], str]
) -> tuple[Chart, Table]:
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for row in figures.entries:
        counts[row["weekday"], row["hour"]] += row["meirope"]
    used = [hour for (_, hour), count in counts.items() if count]
    hours = range(min([*used, USUAL_HOURS.start]), max([*used, USUAL_HOURS.stop - 1]) + 1)
    days = WEEKDAYS_EN if locale is Locale.EN else WEEKDAYS_NN
    values = [[counts[day, hour] for hour in hours] for day in range(1, 8)]
    busiest = max(counts.items(), key=lambda item: item[1], default=None)
    title = gettext("Meirope entries by weekday and hour")
    if busiest is None or busiest[1] == 0:
        summary = gettext("No entries in meirope hours in the period.")
    else:
        (day, hour), count = busiest
        summary = gettext("Most entries on {day}s at {hour}:00 ({count} in the period).").format(
            day=days[day - 1], hour=f"{hour:02d}", count=n(count)
        )
    chart = heat_map(
        values,
        rows=[d[:3] for d in days],
        columns=[f"{h:02d}" for h in hours],
        title=title,
        summary=summary,
        id_prefix="heat",
        empty_message=gettext("No entries in meirope hours in the period."),
    )
    table = Table(
        caption=title,
        head=(gettext("Day"), *(f"{h:02d}" for h in hours)),
        rows=tuple((days[d], *(n(v) for v in values[d])) for d in range(7) if any(values[d])),
        empty=gettext("No entries in meirope hours in the period."),
    )
    return chart, table


def _visits_bars(
    figures: Figures, gettext: Translate, n: Callable[[float], str]
) -> tuple[Chart, Table]:
    entries = _entries_by_branch(figures)
    shown = [b for b in _branches_shown(figures) if b in entries]
    staffed_name, meirope_name = gettext("Staffed hours"), gettext("Meirope hours")
    title = gettext("Visits in staffed and meirope hours per branch")
    staffed = sum(entries[b][0] for b in shown)
    meirope = sum(entries[b][1] for b in shown)
    summary = gettext("{meirope} visits in meirope hours and {staffed} in staffed hours.").format(
        meirope=n(meirope), staffed=n(staffed)
    )
    chart = grouped_bars(
        [_name(figures, b) for b in shown],
        [
            (staffed_name, [float(entries[b][0]) for b in shown]),
            (meirope_name, [float(entries[b][1]) for b in shown]),
        ],
        title=title,
        summary=summary,
        value_label=n,
        id_prefix="visits",
        empty_message=gettext("No visits counted by the doors in the period."),
    )
    table = Table(
        caption=title,
        head=(gettext("Branch"), staffed_name, meirope_name),
        rows=tuple((_name(figures, b), n(entries[b][0]), n(entries[b][1])) for b in shown),
        empty=gettext("No visits counted by the doors in the period."),
    )
    return chart, table


def _weekly_opening(figures: Figures) -> dict[str, tuple[float, float]]:
    """Per branch, the hours open with staff and in meirope in an average week of the period's
    weeks with opening."""
    totals: dict[str, tuple[int, int]] = {}
    weeks: dict[str, set[date]] = defaultdict(set)
    for row in figures.open_hours:
        staffed, meirope = totals.get(row["branch_id"], (0, 0))
        totals[row["branch_id"]] = (
            staffed + row["staffed_minutes"],
            meirope + row["meirope_minutes"],
        )
        weeks[row["branch_id"]].add(row["week"])
    return {
        branch: (staffed / 60 / len(weeks[branch]), meirope / 60 / len(weeks[branch]))
        for branch, (staffed, meirope) in totals.items()
    }


def _opening_bars(
    figures: Figures, gettext: Translate, n: Callable[[float], str]
) -> tuple[Chart, Table]:
    weekly = _weekly_opening(figures)
    shown = [b for b in _branches_shown(figures) if b in weekly]
    staffed_name, meirope_name = gettext("Staffed hours"), gettext("Meirope hours")
    title = gettext("Open hours in an average week, with and without staff")
    staffed = sum(weekly[b][0] for b in shown)
    meirope = sum(weekly[b][1] for b in shown)
    summary = gettext(
        "In an average week the branches shown are open {staffed} hours with staff and "
        "{meirope} hours as meirope."
    ).format(staffed=n(round(staffed, 1)), meirope=n(round(meirope, 1)))
    chart = grouped_bars(
        [_name(figures, b) for b in shown],
        [
            (staffed_name, [weekly[b][0] for b in shown]),
            (meirope_name, [weekly[b][1] for b in shown]),
        ],
        title=title,
        summary=summary,
        value_label=lambda hours: n(round(hours, 1)),
        id_prefix="opening",
        empty_message=gettext("No opening hours set for the period."),
    )
    table = Table(
        caption=title,
        head=(gettext("Branch"), staffed_name, meirope_name),
        rows=tuple(
            (_name(figures, b), n(round(weekly[b][0], 1)), n(round(weekly[b][1], 1))) for b in shown
        ),
        empty=gettext("No opening hours set for the period."),
    )
    return chart, table


def _denials(figures: Figures, gettext: Translate, n: Callable[[float], str]) -> Table:
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in figures.denials:
        counts = by_reason[row["reason"]]
        counts[0] += row["staffed"]
        counts[1] += row["meirope"]
        counts[2] += row["closed"]
    return Table(
        caption=gettext("Entries refused, by reason"),
        head=(gettext("Reason"), gettext("Staffed"), gettext("Meirope"), gettext("Closed")),
        rows=tuple(
            (gettext(DENIAL_REASONS.get(reason, reason)), *(n(c) for c in counts))
            for reason, counts in sorted(by_reason.items(), key=lambda item: -sum(item[1]))
        ),
        empty=gettext("No entry was refused in the period."),
    )


def _visitors(
    figures: Figures, locale: Locale, gettext: Translate, n: Callable[[float], str]
) -> Table:
    by_month: dict[date, int] = defaultdict(int)
    for row in figures.visitors:
        by_month[row["month"]] += row["visitors"]
    return Table(
        caption=gettext("Different meirope visitors per month"),
        head=(gettext("Month"), gettext("Visitors")),
        rows=tuple(
            (local_date(month, locale, form="MMMM y"), n(count))
            for month, count in sorted(by_month.items(), reverse=True)
        ),
        empty=gettext("No meirope visitors in the period."),
    )


def _incidents(
    figures: Figures, gettext: Translate, n: Callable[[float], str]
) -> tuple[KeyFigure, ...]:
    rows = figures.incidents
    return (
        KeyFigure(gettext("Doors held open"), n(_total(rows, "held_open"))),
        KeyFigure(gettext("Doors forced"), n(_total(rows, "forced"))),
        KeyFigure(gettext("Suspected tailgating"), n(_total(rows, "tailgating"))),
        KeyFigure(
            gettext("Closings with people inside"), n(_total(rows, "closings_with_occupants"))
        ),
    )


def _coverage(figures: Figures, locale: Locale, gettext: Translate) -> tuple[Chart, Table]:
    weeks: dict[date, tuple[int, int]] = {}
    for row in figures.host_coverage:
        total, hosted = weeks.get(row["week"], (0, 0))
        weeks[row["week"]] = (total + row["meirope_minutes"], hosted + row["hosted_minutes"])
    n = _numbers(locale)
    points: list[tuple[str, float | None]] = []
    for week, (total, hosted) in sorted(weeks.items()):
        share = _share(hosted, total)
        points.append((week_label(week, gettext), None if share is None else share * 100))
    shares = [p for _, p in points if p is not None]
    title = gettext("Share of meirope hours with a host, per week")
    summary = (
        gettext("No meirope hours in the period.")
        if not shares
        else gettext("Between {low} and {high} of meirope hours had a host, week by week.").format(
            low=f"{n(round(min(shares)))} %", high=f"{n(round(max(shares)))} %"
        )
    )
    chart = line(
        points,
        title=title,
        summary=summary,
        y_max=100,
        value_label=lambda v: f"{n(round(v))} %",
        id_prefix="hosting",
        empty_message=gettext("No meirope hours in the period."),
    )
    table = Table(
        caption=title,
        head=(gettext("Week"), gettext("Meirope hours"), gettext("With a host")),
        rows=tuple(
            (
                week_label(week, gettext),
                n(round(total / 60, 1)),
                _percent(_share(hosted, total), n),
            )
            for week, (total, hosted) in sorted(weeks.items())
        ),
        empty=gettext("No meirope hours in the period."),
    )
    return chart, table


def _volunteers(
    figures: Figures, gettext: Translate, n: Callable[[float], str]
) -> tuple[KeyFigure, ...]:
    shifts = figures.shifts
    return (
        KeyFigure(gettext("Active volunteers"), n(int(figures.active["active"]))),
        KeyFigure(gettext("Shifts published"), n(_total(shifts, "shifts_published"))),
        KeyFigure(gettext("Shifts filled"), n(_total(shifts, "shifts_filled"))),
        KeyFigure(gettext("Places on the waiting list"), n(_total(shifts, "waitlist_joins"))),
        KeyFigure(gettext("Places released"), n(_total(shifts, "places_released"))),
        KeyFigure(gettext("No-shows"), n(_total(shifts, "no_shows"))),
        KeyFigure(gettext("Volunteer hours"), n(_total(figures.hours, "minutes") // 60)),
        KeyFigure(gettext("Certificates issued"), n(_total(figures.certificates, "certificates"))),
    )


def _recruitment(figures: Figures, gettext: Translate, n: Callable[[float], str]) -> Table:
    by_channel: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in figures.recruitment:
        counts = by_channel[row["channel"]]
        counts[0] += row["registrations"]
        counts[1] += row["first_shifts"]
    return Table(
        caption=gettext("New volunteers by how they heard of it"),
        head=(gettext("Channel"), gettext("Registered"), gettext("First shift")),
        rows=tuple(
            (gettext(CHANNELS.get(channel, channel)), n(reg), n(first))
            for channel, (reg, first) in sorted(by_channel.items(), key=lambda i: -i[1][0])
        ),
        empty=gettext("No new volunteers in the period."),
    )


def _school_in_branch(figures: Figures, school_id: str) -> bool:
    chosen = figures.filters.branch_id
    return chosen is None or figures.nearest_branch.get(school_id) == chosen


def _schools(figures: Figures, sort: Sort) -> tuple[SchoolRow, ...]:
    by_school: dict[str, dict[int, Coverage]] = defaultdict(dict)
    for row in figures.coverage:
        if _school_in_branch(figures, row.school_id):
            by_school[row.school_id][row.grade] = row

    def counts(grades: dict[int, Coverage], grade: int) -> tuple[int, int, int, int]:
        row = grades.get(grade)
        return (0, 0, 0, 0) if row is None else (row.classes, row.held, row.booked, row.not_yet)

    rows = [
        SchoolRow(figures.school_names.get(school, school), counts(grades, 2), counts(grades, 9))
        for school, grades in by_school.items()
    ]
    keys: dict[SortKey, Callable[[SchoolRow], tuple[object, ...]]] = {
        SortKey.SCHOOL: lambda r: (r.school.casefold(),),
        SortKey.SECOND_NOT_YET: lambda r: (r.second[3], r.school.casefold()),
        SortKey.NINTH_NOT_YET: lambda r: (r.ninth[3], r.school.casefold()),
        SortKey.SECOND_HELD: lambda r: (r.second[1], r.school.casefold()),
        SortKey.NINTH_HELD: lambda r: (r.ninth[1], r.school.casefold()),
    }
    return tuple(sorted(rows, key=keys[sort.key], reverse=sort.descending))


def _school_figures(
    figures: Figures, gettext: Translate, n: Callable[[float], str]
) -> tuple[KeyFigure, ...]:
    reach = [r for r in figures.reach if _school_in_branch(figures, r.school_id)]
    held = [d for d in figures.theme_days if d.stage == "held"]
    participants = sum(
        count
        for day in held
        for school, count in day.participants.items()
        if _school_in_branch(figures, school)
    )
    return (
        KeyFigure(gettext("Class visits held"), n(sum(r.visits for r in reach))),
        KeyFigure(gettext("Pupils reached"), n(sum(r.pupils for r in reach))),
        KeyFigure(gettext("Library cards for pupils"), n(sum(r.library_cards for r in reach))),
        KeyFigure(gettext("Theme days held"), n(len(held))),
        KeyFigure(gettext("Theme day participants"), n(participants)),
    )


def _deposits(figures: Figures, gettext: Translate, n: Callable[[float], str]) -> Table:
    totals: dict[str, int] = defaultdict(int)
    overdue = 0
    for row in figures.deposits:
        if _school_in_branch(figures, row.school_id):
            for status, count in row.by_status.items():
                totals[status] += count
            overdue += row.overdue
    rows = [(gettext(label), n(totals[s])) for s, label in DEPOSIT_STATUSES.items() if totals[s]]
    if overdue:
        rows.append((gettext("Of them overdue"), n(overdue)))
    return Table(
        caption=gettext("Book deposits by status"),
        head=(gettext("Status"), gettext("Deposits")),
        rows=tuple(rows),
        empty=gettext("No book deposits this school year."),
    )


def _across(figures: Figures, gettext: Translate, n: Callable[[float], str]) -> Table:
    hosting = _hosting(figures)
    minutes: dict[str, int] = defaultdict(int)
    for row in figures.hours:
        minutes[row["branch_id"]] += row["minutes"]
    desk = desk_across(figures)
    rows = []
    for branch in _branches_shown(figures):
        totals = figures.totals.get(branch, {})
        meirope_total, hosted = hosting.get(branch, (0, 0))
        rows.append(
            (
                _name(figures, branch),
                n(totals.get("entries_staffed") or 0),
                n(totals.get("entries_meirope") or 0),
                _percent(_share(hosted, meirope_total), n),
                n(minutes[branch] // 60),
                n(totals.get("class_visits") or 0),
                n(totals.get("pupils") or 0),
                n(totals.get("library_cards") or 0),
                n(desk.get(branch, (0, 0))[0]),
                n(desk.get(branch, (0, 0))[1]),
            )
        )
    return Table(
        caption=gettext("Each branch's figures from every strand"),
        head=(
            gettext("Branch"),
            gettext("Visits, staffed"),
            gettext("Visits, meirope"),
            gettext("Meirope with a host"),
            gettext("Volunteer hours"),
            gettext("Class visits"),
            gettext("Pupils"),
            gettext("Library cards"),
            gettext("Desk help"),
            gettext("Desk referrals"),
        ),
        rows=tuple(rows),
        empty=gettext("No branches known yet."),
    )


def _newest_day(figures: Figures, locale: Locale) -> str | None:
    """The latest day up to today with door entries: how far the figures go (it moves on while
    a fill or a catch-up goes on)."""
    day = figures.latest_entry_day
    return None if day is None else local_date(day, locale)
