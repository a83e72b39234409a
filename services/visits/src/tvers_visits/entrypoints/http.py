"""HTTP routes of a class visit held without a booking, reported afterwards. Every route names
the roles that may call it. (Booked visits: :mod:`.class_visits`.)"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import Field, model_validator

from tvers_contracts.events.visits import (
    LAST_GRADE,
    MOST_PUPILS,
    ClassLabel,
    Programme,
    check_label_grade,
)
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_visits.domain import school_year
from tvers_visits.domain.visit_year import ClassRef, Counts
from tvers_visits.entrypoints.dependencies import Visits
from tvers_visits.entrypoints.school_scope import check_school
from tvers_visits.entrypoints.visit_views import VisitOut, visit_out
from tvers_visits.visit_cases import HeldAfterwards

router = APIRouter(tags=["class visits"], route_class=JsonBodyRoute)


class CountsIn(Strict):
    pupils_present: int = Field(ge=0, le=MOST_PUPILS)
    library_cards_handed_out: int = Field(ge=0, le=MOST_PUPILS)
    consent_forms_collected: int = Field(
        ge=0, le=MOST_PUPILS, description="Guardian consent forms collected: a card needs one."
    )

    def counts(self) -> Counts:
        return Counts(
            self.pupils_present, self.library_cards_handed_out, self.consent_forms_collected
        )


class HeldVisitIn(CountsIn):
    school_id: Slug
    grade: int = Field(ge=1, le=LAST_GRADE)
    class_label: ClassLabel = Field(description="The class, e.g. 2A. Never a pupil's name.")
    branch_id: Slug
    held_on: date
    programme: Programme

    @model_validator(mode="after")
    def _label_of_its_grade(self) -> HeldVisitIn:
        check_label_grade(self.grade, self.class_label)
        return self


@router.post("/class-visits/held", status_code=status.HTTP_201_CREATED)
async def record_visit_held_afterwards(
    body: HeldVisitIn,
    request: Request,
    who: Annotated[Principal, Depends(allow(Role.STAFF, Role.TEACHER))],
    visits: Visits,
    idempotency_key: IdempotencyKey = None,
) -> VisitOut:
    """Record a class visit that was held without a booking here: pupils present, library cards
    handed out, consent forms collected. The class must be registered for the school year."""
    check_school(who, body.school_id)
    held = HeldAfterwards(
        pupils_of=ClassRef(body.school_id, body.grade, body.class_label),
        branch_id=body.branch_id,
        held_on=body.held_on,
        programme=body.programme,
        counts=body.counts(),
    )
    visit_id = await visits.record_afterwards(
        await command_context(request, who, idempotency_key), held
    )
    year = school_year.of(body.held_on)
    return visit_out(year, await visits.visit(who.tenant, year, visit_id))
