"""The meirope part of the yearly report: entries by weekday and hour, staffed and unstaffed
entries per branch, denials by reason, unique visitors per month and incidents. Pure."""

from __future__ import annotations

from collections import Counter
from datetime import date

from tvers_contracts.events.access import DenialReason
from tvers_reporting.charts import Chart, grouped_bars, heat_map, line
from tvers_reporting.yearly_report.figures import YearFigures
from tvers_reporting.yearly_report.shape import Figure, Section, Table, Words


def reason_names(words: Words) -> dict[str, str]:
    """Why a door stayed shut, in words."""
    _ = words.say
    return {
        DenialReason.OUTSIDE_MEIROPE_HOURS: _("Outside meirope hours"),
        DenialReason.NO_AGREEMENT: _("No meirope agreement"),
        DenialReason.SUSPENDED: _("Agreement suspended"),
        DenialReason.WRONG_PIN: _("Wrong PIN"),
        DenialReason.UNKNOWN_CARD: _("Unknown card"),
        DenialReason.BLOCKED_CARD: _("Blocked card"),
        DenialReason.UNDER_AGE: _("Under age"),
        DenialReason.LIBRARY_SYSTEM_UNREACHABLE: _("Library system unreachable"),
    }


def meirope_section(figures: YearFigures, words: Words) -> Section:
    """Build the meirope section from the year's figures."""
    _ = words.say
    n = words.number
    rows = figures.entries_by_hour
    staffed = sum(r["staffed"] for r in rows)
    meirope = sum(r["meirope"] for r in rows)
    denied = sum(r["staffed"] + r["meirope"] + r["closed"] for r in figures.denials)
    visitor_months = sum(r["visitors"] for r in figures.visitors)
    incidents = Counter[str]()
    for row in figures.incidents:
        incidents.update({k: v for k, v in row.items() if isinstance(v, int)})
    key = (
        Figure(_("Entries at the doors"), n(staffed + meirope)),
        Figure(_("Entries in staffed hours"), n(staffed)),
        Figure(_("Entries in meirope hours (no staff)"), n(meirope)),
        Figure(_("Denied attempts"), n(denied)),
        Figure(_("Unique visitors, summed over months and branches"), n(visitor_months)),
        Figure(_("Door alarms: held open"), n(incidents["held_open"])),
        Figure(_("Door alarms: forced open"), n(incidents["forced"])),
        Figure(_("Suspected tailgating"), n(incidents["tailgating"])),
        Figure(_("Closings with people still inside"), n(incidents["closings_with_occupants"])),
        Figure(_("People still inside at those closings"), n(incidents["occupants_at_closing"])),
    )
    return Section(
        heading=_("Meirope: the library open without staff"),
        intro=_(
            "Patrons open the door with card and PIN outside staffed hours. Entries are "
            "counted by the hour they happened in (Norwegian time)."
        ),
        figures=key,
        charts=(_heat_map(figures, words), _branches(figures, words), _visitors(figures, words)),
        tables=(_denials(figures, words),),
        notes=(
            _(
                "A person gets a new reference each month at each branch, so unique visitors "
                "are counted per month and branch and cannot be added up to people."
            ),
        ),
    )


def _heat_map(figures: YearFigures, words: Words) -> Chart:
    _ = words.say
    grid = [[0] * 24 for _day in range(7)]
    for row in figures.entries_by_hour:
        grid[row["weekday"] - 1][row["hour"]] += row["staffed"] + row["meirope"]
    days = words.weekdays()
    busiest = max(((v, d, h) for d, hours in enumerate(grid) for h, v in enumerate(hours)))
    summary = _("The busiest hour was {day} at {hour}:00, with {count} entries in the year.")
    return heat_map(
        grid,
        rows=days,
        columns=[f"{h:02d}" for h in range(24)],
        title=_("Entries by weekday and hour"),
        summary=summary.format(
            day=days[busiest[1]], hour=busiest[2], count=words.number(busiest[0])
        )
        if busiest[0]
        else _("No entries at the doors this year."),
        value_label=words.number,
        id_prefix="meirope-hours",
        empty_message=_("No entries at the doors this year."),
    )


def _branches(figures: YearFigures, words: Words) -> Chart:
    _ = words.say
    per_branch: dict[str, tuple[int, int]] = {}
    for row in figures.entries_by_hour:
        staffed, meirope = per_branch.get(row["branch_id"], (0, 0))
        per_branch[row["branch_id"]] = (staffed + row["staffed"], meirope + row["meirope"])
    names = figures.branch_names
    order = sorted(per_branch, key=lambda b: names.get(b, b))
    top = max(order, key=lambda b: sum(per_branch[b]), default=None)
    summary = (
        _("{branch} had the most entries: {count}, of them {meirope} in meirope hours.").format(
            branch=names.get(top, top),
            count=words.number(sum(per_branch[top])),
            meirope=words.number(per_branch[top][1]),
        )
        if top
        else _("No entries at the doors this year.")
    )
    return grouped_bars(
        [names.get(b, b) for b in order],
        [
            (_("Staffed hours"), [float(per_branch[b][0]) for b in order]),
            (_("Meirope hours"), [float(per_branch[b][1]) for b in order]),
        ],
        title=_("Entries per branch, staffed and meirope hours"),
        summary=summary,
        value_label=words.number,
        id_prefix="meirope-branches",
        empty_message=_("No entries at the doors this year."),
    )


def _visitors(figures: YearFigures, words: Words) -> Chart:
    _ = words.say
    per_month = Counter[date]()
    for row in figures.visitors:
        per_month[row["month"]] += row["visitors"]
    months = [date(figures.year, m, 1) for m in range(1, 13)]
    points = [
        (words.month(m), float(per_month[m]) if m <= figures.made_on else None) for m in months
    ]
    best = max(months, key=lambda m: per_month[m])
    return line(
        points if per_month[best] else [],
        title=_("Unique visitors per month (all branches)"),
        summary=_("Most visitors in {month}: {count}.").format(
            month=words.month(best), count=words.number(per_month[best])
        )
        if per_month[best]
        else _("No visitors at the doors this year."),
        value_label=words.number,
        id_prefix="meirope-visitors",
        empty_message=_("No visitors at the doors this year."),
    )


def _denials(figures: YearFigures, words: Words) -> Table:
    _ = words.say
    names = reason_names(words)
    counted: dict[str, tuple[int, int, int]] = {}
    for row in figures.denials:
        staffed, meirope, closed = counted.get(row["reason"], (0, 0, 0))
        counted[row["reason"]] = (
            staffed + row["staffed"],
            meirope + row["meirope"],
            closed + row["closed"],
        )
    order = sorted(counted, key=lambda r: (-sum(counted[r]), r))
    return Table(
        headers=(_("Denied, by reason"), _("Staffed"), _("Meirope"), _("Closed"), _("Total")),
        rows=tuple(
            (names.get(r, r), *(words.number(v) for v in counted[r]), words.number(sum(counted[r])))
            for r in order
        ),
    )
