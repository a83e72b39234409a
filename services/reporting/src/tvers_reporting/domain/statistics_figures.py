"""The figures of the national statistics export, with their labels and their notes on how each
was counted (English here, marked for translation; nynorsk in the package's catalogs). Decision
0039 says why they are counted so."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tvers_runtime.i18n import _


class Figure(StrEnum):
    """One figure of the export, in the order it is shown."""

    VISITS_STAFFED = "visits_staffed"
    VISITS_MEIROPE = "visits_meirope"
    COUNTED_WHILE_CLOSED = "counted_while_closed"
    MEIROPE_CARD_ENTRIES = "meirope_card_entries"
    STAFFED_HOURS_YEAR = "staffed_hours_year"
    MEIROPE_HOURS_YEAR = "meirope_hours_year"
    STAFFED_HOURS_WEEK = "staffed_hours_average_week"
    MEIROPE_HOURS_WEEK = "meirope_hours_average_week"
    CLASS_VISITS = "class_visits_held"
    CLASS_VISIT_PUPILS = "class_visit_pupils"
    THEME_DAYS = "theme_days_held"
    THEME_DAY_PARTICIPANTS = "theme_day_participants"


@dataclass(frozen=True)
class Wording:
    """A figure's label and its note on how it was counted."""

    label: str
    note: str


WORDING: dict[Figure, Wording] = {
    Figure.VISITS_STAFFED: Wording(
        _("Visits in staffed hours"),
        _(
            "People the door counters counted coming in while the branch was open with staff, "
            "by the schedule as it stood that day. A counter counts everyone who passes, staff "
            "too."
        ),
    ),
    Figure.VISITS_MEIROPE: Wording(
        _("Visits in meirope hours"),
        _(
            "People the door counters counted coming in in meirope (staffless) hours. It "
            "includes those who came in with someone who opened the door with a card."
        ),
    ),
    Figure.COUNTED_WHILE_CLOSED: Wording(
        _("Counted while closed"),
        _(
            "People the door counters counted coming in while the branch was closed (staff "
            "before opening, someone let in after closing). Not visits: shown so that the "
            "counters' entries add up."
        ),
    ),
    Figure.MEIROPE_CARD_ENTRIES: Wording(
        _("Card entries in meirope hours"),
        _(
            "Times the door let someone in with card and PIN in meirope hours. Fewer than the "
            "visits: whoever came in with them is not counted here."
        ),
    ),
    Figure.STAFFED_HOURS_YEAR: Wording(
        _("Opening hours with staff, the year"),
        _(
            "Hours the schedule had the branch open with staff, each day by the schedule as it "
            "stood at the end of that day, exceptions (holidays, closures) included. A period "
            "counts in the year of the day it starts; the nights the clocks change make it an "
            "hour shorter or longer."
        ),
    ),
    Figure.MEIROPE_HOURS_YEAR: Wording(
        _("Meirope opening hours, the year"),
        _(
            "Hours the schedule had the branch open without staff (meirope), each day by the "
            "schedule as it stood at the end of that day, exceptions included. A period counts "
            "in the year of the day it starts; the nights the clocks change make it an hour "
            "shorter or longer."
        ),
    ),
    Figure.STAFFED_HOURS_WEEK: Wording(
        _("Opening hours with staff, average week"),
        _("The year's hours with staff divided by its weeks (its days divided by seven)."),
    ),
    Figure.MEIROPE_HOURS_WEEK: Wording(
        _("Meirope opening hours, average week"),
        _("The year's meirope hours divided by its weeks (its days divided by seven)."),
    ),
    Figure.CLASS_VISITS: Wording(
        _("School class visits held"),
        _(
            "Class visits recorded as held at the branch, on days of the year; every grade and "
            "programme."
        ),
    ),
    Figure.CLASS_VISIT_PUPILS: Wording(
        _("Pupils at the class visits"), _("Pupils present at those class visits.")
    ),
    Figure.THEME_DAYS: Wording(
        _("Theme days held"),
        _(
            "Theme days for school librarians recorded as held, on days of the year. One held "
            "elsewhere than at a branch counts in the total only."
        ),
    ),
    Figure.THEME_DAY_PARTICIPANTS: Wording(
        _("Participants at the theme days"),
        _("Those who took part in those theme days, from every school."),
    ),
}
#: Counter figures of a branch with no counter report in the year.
NO_COUNTER = _(
    "Not known: no people counter reported at this branch in the year, and the door's card "
    "reader counts only those who open it with a card."
)
#: Counter figures of the total when some branches have no counter.
SOME_COUNTERS = _("The sum of the branches with a people counter; those without one are left out.")
#: The figures counted by the door counters.
COUNTER_FIGURES = (Figure.VISITS_STAFFED, Figure.VISITS_MEIROPE, Figure.COUNTED_WHILE_CLOSED)
