"""The volunteers' part of the yearly report: shifts, hours served, active volunteers and the
share of meirope hours with a host, per week. Pure."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from tvers_reporting.charts import Chart, line
from tvers_reporting.yearly_report.figures import YearFigures
from tvers_reporting.yearly_report.shape import Figure, Section, Words

_SHIFT_COUNTS = (
    "shifts_published",
    "shifts_filled",
    "places_taken",
    "places_released",
    "waitlist_joins",
    "no_shows",
)


def volunteers_section(figures: YearFigures, words: Words) -> Section:
    """Build the volunteers' section from the year's figures."""
    _ = words.say
    n = words.number
    shifts = Counter[str]()
    for row in figures.shifts:
        shifts.update({name: row[name] for name in _SHIFT_COUNTS})
    minutes = sum(r["minutes"] for r in figures.hours)
    served = sum(r["shifts_served"] for r in figures.hours)
    meirope = sum(r["meirope_minutes"] for r in figures.host_coverage)
    hosted = sum(r["hosted_minutes"] for r in figures.host_coverage)
    key = (
        Figure(_("Shifts published"), n(shifts["shifts_published"])),
        Figure(_("Shifts filled"), n(shifts["shifts_filled"])),
        Figure(_("Places taken"), n(shifts["places_taken"])),
        Figure(_("Places released again"), n(shifts["places_released"])),
        Figure(_("Joined a waiting list"), n(shifts["waitlist_joins"])),
        Figure(_("No-shows"), n(shifts["no_shows"])),
        Figure(_("Shifts served"), n(served)),
        Figure(_("Hours served"), n(round(minutes / 60, 1))),
        Figure(
            _("Active volunteers on {day}").format(day=words.day(figures.made_on)),
            n(figures.active_volunteers),
        ),
        Figure(
            _("Meirope hours with a host checked in"),
            words.share(hosted / meirope) if meirope else "-",
        ),
    )
    return Section(
        heading=_("Library friends: volunteers who host meirope hours"),
        intro=_(
            "Volunteers claim shifts to host the library in its meirope hours. Hours served "
            "are counted from check-in to check-out."
        ),
        figures=key,
        charts=(_coverage(figures, words), _hours(figures, words)),
    )


def _coverage(figures: YearFigures, words: Words) -> Chart:
    _ = words.say
    weeks: dict[date, tuple[int, int]] = {}
    for row in figures.host_coverage:
        total, hosted = weeks.get(row["week"], (0, 0))
        weeks[row["week"]] = (total + row["meirope_minutes"], hosted + row["hosted_minutes"])
    first = date(figures.year, 1, 1)
    monday = first - timedelta(days=first.weekday())
    points: list[tuple[str, float | None]] = []
    while monday <= date(figures.year, 12, 31):
        total, hosted = weeks.get(monday, (0, 0))
        points.append((str(monday.isocalendar().week), hosted / total if total else None))
        monday += timedelta(days=7)
    meirope = sum(total for total, _hosted in weeks.values())
    hosted = sum(hosted for _total, hosted in weeks.values())
    return line(
        points,
        title=_("Share of meirope hours with a host, per week"),
        summary=_("Over the year, a host was checked in for {share} of the meirope hours.").format(
            share=words.share(hosted / meirope)
        )
        if meirope
        else _("No meirope hours this year."),
        y_max=1.0,
        value_label=words.share,
        id_prefix="host-coverage",
        empty_message=_("No meirope hours this year."),
    )


def _hours(figures: YearFigures, words: Words) -> Chart:
    _ = words.say
    per_month = Counter[date]()
    for row in figures.hours:
        per_month[row["month"]] += row["minutes"]
    months = [date(figures.year, m, 1) for m in range(1, 13)]
    points = [(words.month(m), per_month[m] / 60 if m <= figures.made_on else None) for m in months]
    total = sum(per_month.values()) / 60
    return line(
        points if total else [],
        title=_("Hours served by volunteers per month"),
        summary=_("Volunteers served {hours} hours in the year.").format(
            hours=words.number(round(total, 1))
        ),
        value_label=lambda v: words.number(round(v, 1)),
        id_prefix="volunteer-hours",
        empty_message=_("No hours served this year."),
    )
