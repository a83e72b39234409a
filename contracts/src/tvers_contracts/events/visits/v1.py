"""Older schema versions of ``visits`` events, kept so that stored and published events of those
versions can still be read, and with their upcasters to the current version.

Each class keeps the name, docstring and fields it was published with, so that its generated JSON
Schema (``schemas/visits/<Event>.v<N>.json``) stays exactly what was published. Import this
module as ``visits_v1`` and name its classes through it: ``visits_v1.ClassVisitHeld``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from pydantic import Field, model_validator

from tvers_contracts.event import DomainEvent
from tvers_contracts.events.visits.base import school_year_of
from tvers_contracts.events.visits.class_visits import Programme
from tvers_contracts.registry import EventRegistry
from tvers_contracts.values import Slug


class ClassVisitHeld(DomainEvent):
    """A school class visited a library branch: how many pupils came, how many got a card."""

    service: ClassVar[str] = "visits"
    aggregate: ClassVar[str] = "class_visit"
    schema_version: ClassVar[int] = 1
    type_name: ClassVar[str | None] = "ClassVisitHeld"

    visit_id: UUID
    school_id: Slug
    grade: int = Field(ge=1, le=13)
    class_label: str = Field(min_length=1, max_length=20, description="E.g. 2A; never a name.")
    branch_id: Slug
    held_on: date
    pupils_present: int = Field(ge=0, le=200)
    library_cards_handed_out: int = Field(ge=0, le=200)

    @model_validator(mode="after")
    def _no_more_cards_than_pupils(self) -> ClassVisitHeld:
        if self.library_cards_handed_out > self.pupils_present:
            raise ValueError("more library cards handed out than pupils present")
        return self


#: The older versions, for the registry.
VISITS_OLDER_VERSIONS: tuple[type[DomainEvent], ...] = (ClassVisitHeld,)


def register_upcasters(registry: EventRegistry) -> None:
    """Add the upcasters of ``visits`` events to ``registry``."""

    @registry.upcaster("ClassVisitHeld", from_version=1)
    def with_year_consents_and_programme(payload: dict[str, Any]) -> dict[str, Any]:
        # Version 1 knew no consent forms: a card needs one, so at least as many were
        # collected as cards handed out. Its programme follows from the grade.
        grade = payload["grade"]
        programme = {2: Programme.SECOND_GRADE, 9: Programme.NINTH_GRADE}.get(grade)
        return {
            **payload,
            "school_year": school_year_of(date.fromisoformat(payload["held_on"])),
            "consent_forms_collected": payload["library_cards_handed_out"],
            "programme": (programme or Programme.OTHER).value,
        }
