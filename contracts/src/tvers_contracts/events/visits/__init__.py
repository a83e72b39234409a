"""Events owned by ``visits``: the cooperation of schools and the public library. Classes and
counts only: children's names are never needed and never stored.

- :mod:`.schools`: the register of schools and their routes (``school-register-<tenant>``),
  the classes of a school year, and the branches' rooms (``visit-rooms-<tenant>``);
- :mod:`.class_visits`: class visits booked, moved, cancelled and held
  (``school-year-<tenant>-<year>``);
- :mod:`.deposits`: book deposits ordered by schools (``deposit-<id>``);
- :mod:`.theme_days`: theme days for school librarians (``theme-days-<tenant>``);
- :mod:`.network`: the school librarians' network, without names
  (``school-librarian-network-<tenant>``);
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
from tvers_contracts.events.visits.deposits import (
    MOST_BOOKS,
    CancelledBy,
    DepositCancelled,
    DepositDelivered,
    DepositDueDateSet,
    DepositEvent,
    DepositOrdered,
    DepositPrepared,
    DepositReturned,
    OrdererRole,
)
from tvers_contracts.events.visits.network import (
    NetworkEvent,
    NetworkMemberChanged,
    NetworkMemberJoined,
    NetworkMemberLeft,
    NetworkRole,
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
from tvers_contracts.events.visits.texts import SHORT_TEXT_LENGTH, ShortText
from tvers_contracts.events.visits.theme_days import (
    MOST_PARTICIPANTS,
    MOST_SCHOOLS,
    SchoolParticipants,
    ThemeDayCancelled,
    ThemeDayChanged,
    ThemeDayEvent,
    ThemeDayHeld,
    ThemeDayPlanned,
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
    DepositOrdered,
    DepositPrepared,
    DepositDelivered,
    DepositDueDateSet,
    DepositReturned,
    DepositCancelled,
    ThemeDayPlanned,
    ThemeDayChanged,
    ThemeDayCancelled,
    ThemeDayHeld,
    NetworkMemberJoined,
    NetworkMemberChanged,
    NetworkMemberLeft,
    ResourcePageWritten,
    ResourcePageRemoved,
)

__all__ = [
    "CLASS_LABEL_PATTERN",
    "FIRST_GRADE",
    "LAST_GRADE",
    "MOST_BOOKS",
    "MOST_CLASSES",
    "MOST_PARTICIPANTS",
    "MOST_PUPILS",
    "MOST_ROUTES",
    "MOST_SCHOOLS",
    "MOST_TEXT_CHARACTERS",
    "MOST_TITLE_CHARACTERS",
    "SHORT_TEXT_LENGTH",
    "VISITS_EVENTS",
    "AuthorRole",
    "CancelReason",
    "CancelledBy",
    "ClassLabel",
    "ClassVisitBooked",
    "ClassVisitCancelled",
    "ClassVisitEvent",
    "ClassVisitHeld",
    "ClassVisitRescheduled",
    "DepositCancelled",
    "DepositDelivered",
    "DepositDueDateSet",
    "DepositEvent",
    "DepositOrdered",
    "DepositPrepared",
    "DepositReturned",
    "NetworkEvent",
    "NetworkMemberChanged",
    "NetworkMemberJoined",
    "NetworkMemberLeft",
    "NetworkRole",
    "OrdererRole",
    "Programme",
    "ResourceCategory",
    "ResourcePageRemoved",
    "ResourcePageWritten",
    "Route",
    "SchoolClass",
    "SchoolClassesSet",
    "SchoolParticipants",
    "SchoolRegistered",
    "SchoolRoutesSet",
    "SchoolType",
    "SchoolYearLabel",
    "ShortText",
    "ThemeDayCancelled",
    "ThemeDayChanged",
    "ThemeDayEvent",
    "ThemeDayHeld",
    "ThemeDayPlanned",
    "TravelMeans",
    "VisitRoomSet",
    "VisitsEvent",
    "check_label_grade",
    "label_grade",
    "school_year_of",
]
