"""What the events of the visits service share: their base, the school year and the class.

A **school year** runs from 1 August to 30 June (Europe/Oslo dates) and is named by its two
calendar years, ``2026-2027``. A **class** is named by its grade and a short label that starts
with the grade (``2A``, ``9B``, ``10``): classes and counts only, never a pupil's name.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, ClassVar

from pydantic import AfterValidator, StringConstraints

from tvers_contracts.event import DomainEvent

#: The grades of Norwegian compulsory school.
FIRST_GRADE = 1
LAST_GRADE = 10
#: The most pupils a class may have in these events (the law's norm is far below).
MOST_PUPILS = 60

SCHOOL_YEAR_PATTERN = r"^[0-9]{4}-[0-9]{4}$"
#: A class label: the grade, then at most four capital letters or digits (2A, 9BC, 10).
CLASS_LABEL_PATTERN = r"^(10|[1-9])[A-ZÆØÅ0-9]{0,4}$"
_CLASS_LABEL = re.compile(CLASS_LABEL_PATTERN)


def _consecutive_years(value: str) -> str:
    first, second = (int(part) for part in value.split("-"))
    if second != first + 1:
        raise ValueError("a school year is named by two consecutive years, e.g. 2026-2027")
    return value


#: A school year by its two calendar years: ``2026-2027`` runs 1 August 2026 to 30 June 2027.
SchoolYearLabel = Annotated[
    str,
    StringConstraints(pattern=SCHOOL_YEAR_PATTERN),
    AfterValidator(_consecutive_years),
]

#: A class by grade and letter, e.g. ``2A``. Never a name.
ClassLabel = Annotated[str, StringConstraints(pattern=CLASS_LABEL_PATTERN)]


def school_year_of(day: date) -> str:
    """The school year of a date (``2026-2027`` from 1 August 2026), July counted with the year
    that ended in June: the summer holiday belongs to no school year, so the rules refuse July,
    and what July must name (a report, an old event) names the year just ended."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def label_grade(label: str) -> int | None:
    """The grade a class label starts with (``10C`` is grade 10), or None if it is no label."""
    found = _CLASS_LABEL.match(label)
    return int(found.group(1)) if found else None


def check_label_grade(grade: int, label: str) -> None:
    """Raise ``ValueError`` unless ``label`` is a class label of ``grade``."""
    if label_grade(label) != grade:
        raise ValueError(f"class {label!r} is not a class of grade {grade} (e.g. {grade}A)")


class VisitsEvent(DomainEvent):
    """Base of the events of the visits service."""

    service: ClassVar[str] = "visits"
