"""Events owned by ``visits``: the cooperation of schools and the public library. Classes and
counts only: children's names are never needed and never stored.

- :mod:`.schools`: the register of schools and their routes (``school-register-<tenant>``),
  the classes of a school year, and the branches' rooms (``visit-rooms-<tenant>``);
- :mod:`.class_visits`: class visits booked, moved, cancelled and held
  (``school-year-<tenant>-<year>``);
- :mod:`.resources`: the resource bank's pages, versioned (``resource-page-<tenant>-<slug>``);
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
from tvers_contracts.events.visits.resources import (
    MOST_TEXT_CHARACTERS,
    MOST_TITLE_CHARACTERS,
    AuthorRole,
    ResourceCategory,
    ResourcePageRemoved,
    ResourcePageWritten,
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
    ResourcePageWritten,
    ResourcePageRemoved,
)

__all__ = [
    "CLASS_LABEL_PATTERN",
    "FIRST_GRADE",
    "LAST_GRADE",
    "MOST_CLASSES",
    "MOST_PUPILS",
    "MOST_ROUTES",
    "MOST_TEXT_CHARACTERS",
    "MOST_TITLE_CHARACTERS",
    "VISITS_EVENTS",
    "AuthorRole",
    "CancelReason",
    "ClassLabel",
    "ClassVisitBooked",
    "ClassVisitCancelled",
    "ClassVisitEvent",
    "ClassVisitHeld",
    "ClassVisitRescheduled",
    "Programme",
    "ResourceCategory",
    "ResourcePageRemoved",
    "ResourcePageWritten",
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
    "label_grade",
    "school_year_of",
]
