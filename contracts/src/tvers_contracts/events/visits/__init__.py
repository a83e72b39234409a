"""Events owned by ``visits``: the cooperation of schools and the public library. Classes and
counts only: children's names are never needed and never stored.

- :mod:`.schools`: the register of schools and their routes (``school-register-<tenant>``),
  the classes of a school year, and the branches' rooms (``visit-rooms-<tenant>``);
- :mod:`.class_visits`: class visits booked, moved, cancelled and held
  (``school-year-<tenant>-<year>``);
- :mod:`.v1`: older versions and their upcasters.
"""

from __future__ import annotations

from tvers_contracts.event import DomainEvent
from tvers_contracts.events.visits.base import (
    CLASS_LABEL_PATTERN,
    FIRST_GRADE,
    LAST_GRADE,
    MOST_PUPILS,
    ClassLabel,
    SchoolYearLabel,
    VisitsEvent,
    check_label_grade,
    label_grade,
    school_year_of,
)
from tvers_contracts.events.visits.class_visits import (
    CancelReason,
    ClassVisitBooked,
    ClassVisitCancelled,
    ClassVisitEvent,
    ClassVisitHeld,
    ClassVisitRescheduled,
    Programme,
)
from tvers_contracts.events.visits.schools import (
    MOST_CLASSES,
    MOST_ROUTES,
    Route,
    SchoolClass,
    SchoolClassesSet,
    SchoolRegistered,
    SchoolRoutesSet,
    SchoolType,
    TravelMeans,
    VisitRoomSet,
)

VISITS_EVENTS: tuple[type[DomainEvent], ...] = (
    SchoolRegistered,
    SchoolRoutesSet,
    SchoolClassesSet,
    VisitRoomSet,
    ClassVisitBooked,
    ClassVisitRescheduled,
    ClassVisitCancelled,
    ClassVisitHeld,
)

__all__ = [
    "CLASS_LABEL_PATTERN",
    "FIRST_GRADE",
    "LAST_GRADE",
    "MOST_CLASSES",
    "MOST_PUPILS",
    "MOST_ROUTES",
    "VISITS_EVENTS",
    "CancelReason",
    "ClassLabel",
    "ClassVisitBooked",
    "ClassVisitCancelled",
    "ClassVisitEvent",
    "ClassVisitHeld",
    "ClassVisitRescheduled",
    "Programme",
    "Route",
    "SchoolClass",
    "SchoolClassesSet",
    "SchoolRegistered",
    "SchoolRoutesSet",
    "SchoolType",
    "SchoolYearLabel",
    "TravelMeans",
    "VisitRoomSet",
    "VisitsEvent",
    "check_label_grade",
    "label_grade",
    "school_year_of",
]
