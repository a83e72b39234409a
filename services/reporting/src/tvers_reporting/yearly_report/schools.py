"""The schools' part of the yearly report, for the school year that ends in the report's year:
coverage of the 2nd and 9th grade programmes, pupils reached and library cards, deposits and
theme days. Pure."""

from __future__ import annotations

from tvers_reporting.charts import Chart, grouped_bars
from tvers_reporting.read_models.deposits import STATUSES
from tvers_reporting.yearly_report.figures import YearFigures
from tvers_reporting.yearly_report.shape import Figure, Section, Table, Words


def schools_section(figures: YearFigures, words: Words) -> Section:
    """Build the schools' section from the year's figures."""
    _ = words.say
    n = words.number
    school_year = figures.school_year
    grade = {g: [c for c in figures.coverage if c.grade == g] for g in (2, 9)}
    deposits = {
        status: sum(d.by_status.get(status, 0) for d in figures.deposits) for status in STATUSES
    }
    held_days = [d for d in figures.theme_days if d.stage == "held"]
    key = (
        Figure(
            _("2nd grade classes visited"),
            _("{held} of {classes}").format(
                held=n(sum(c.held for c in grade[2])), classes=n(sum(c.classes for c in grade[2]))
            ),
        ),
        Figure(
            _("9th grade classes visited"),
            _("{held} of {classes}").format(
                held=n(sum(c.held for c in grade[9])), classes=n(sum(c.classes for c in grade[9]))
            ),
        ),
        Figure(_("Class visits held"), n(sum(r.visits for r in figures.reach))),
        Figure(_("Pupils reached"), n(sum(r.pupils for r in figures.reach))),
        Figure(_("Library cards handed out"), n(sum(r.library_cards for r in figures.reach))),
        Figure(_("Book deposits ordered"), n(sum(deposits.values()) - deposits["cancelled"])),
        Figure(_("Book deposits returned"), n(deposits["returned"])),
        Figure(_("Theme days held"), n(len(held_days))),
        Figure(
            _("Participants in theme days"),
            n(sum(sum(d.participants.values()) for d in held_days)),
        ),
    )
    return Section(
        heading=_("School and public library: school year {year}").format(year=school_year),
        intro=_(
            "Every class in the 2nd and 9th grade is offered a visit to the library in the "
            "school year. The figures are for the school year that ends in the report's year."
        ),
        figures=key,
        charts=(_coverage(figures, words),),
        tables=(_reach(figures, words), _theme_days(figures, words)),
    )


def _coverage(figures: YearFigures, words: Words) -> Chart:
    _ = words.say
    grades = (2, 9)

    def total(grade: int, field: str) -> float:
        return float(sum(getattr(c, field) for c in figures.coverage if c.grade == grade))

    held = {g: total(g, "held") for g in grades}
    classes = {g: total(g, "classes") for g in grades}
    return grouped_bars(
        [_("2nd grade"), _("9th grade")],
        [
            (_("Visit held"), [held[g] for g in grades]),
            (_("Visit booked"), [total(g, "booked") for g in grades]),
            (_("Not yet"), [total(g, "not_yet") for g in grades]),
        ],
        title=_("Classes visited, per grade"),
        summary=_(
            "{held2} of {classes2} 2nd grade and {held9} of {classes9} 9th grade "
            "classes had their visit."
        ).format(
            held2=words.number(held[2]),
            classes2=words.number(classes[2]),
            held9=words.number(held[9]),
            classes9=words.number(classes[9]),
        ),
        value_label=words.number,
        id_prefix="school-coverage",
        empty_message=_("No classes registered for the school year."),
    )


def _reach(figures: YearFigures, words: Words) -> Table:
    _ = words.say
    per_school: dict[str, tuple[int, int, int]] = {}
    for r in figures.reach:
        visits, pupils, cards = per_school.get(r.school_id, (0, 0, 0))
        per_school[r.school_id] = (visits + r.visits, pupils + r.pupils, cards + r.library_cards)
    names = figures.school_names
    order = sorted(per_school, key=lambda s: names.get(s, s))
    return Table(
        headers=(_("School"), _("Visits"), _("Pupils"), _("Library cards")),
        rows=tuple((names.get(s, s), *(words.number(v) for v in per_school[s])) for s in order),
    )


def _theme_days(figures: YearFigures, words: Words) -> Table:
    _ = words.say
    held = [d for d in figures.theme_days if d.stage == "held"]
    return Table(
        headers=(_("Theme day"), _("Day"), _("Schools"), _("Participants")),
        rows=tuple(
            (
                d.topic,
                words.day(d.day),
                words.number(len(d.participants)),
                words.number(sum(d.participants.values())),
            )
            for d in held
        ),
    )
