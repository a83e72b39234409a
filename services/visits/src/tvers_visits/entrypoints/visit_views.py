"""How class visits, classes and plans look in the visits API's answers: times in Oslo's
wall-clock time with its offset (``2026-11-24T10:00:00+01:00``)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel

from tvers_contracts.events.visits import CancelReason, Programme
from tvers_contracts.schedule import OSLO
from tvers_visits.domain.planning import PlannedVisit, Slot
from tvers_visits.domain.school_year import SchoolYear
from tvers_visits.domain.visit_year import ClassRef, ClassStatus, Visit, VisitStatus


class CountsOut(BaseModel):
    pupils_present: int
    library_cards_handed_out: int
    consent_forms_collected: int


class VisitOut(BaseModel):
    visit_id: UUID
    school_year: str
    school_id: str
    grade: int
    class_label: str
    branch_id: str
    day: date
    starts_at: datetime
    ends_at: datetime
    expected_pupils: int
    programme: Programme
    status: VisitStatus
    booked: bool
    held: CountsOut | None
    cancel_reason: CancelReason | None


def visit_out(year: SchoolYear, visit: Visit) -> VisitOut:
    ref = visit.pupils_of
    counts = visit.counts
    return VisitOut(
        visit_id=visit.visit_id,
        school_year=year.label,
        school_id=ref.school_id,
        grade=ref.grade,
        class_label=ref.class_label,
        branch_id=visit.branch_id,
        day=visit.day,
        starts_at=visit.starts_at.astimezone(OSLO),
        ends_at=visit.ends_at.astimezone(OSLO),
        expected_pupils=visit.expected_pupils,
        programme=visit.programme,
        status=visit.status,
        booked=visit.booked,
        held=None if counts is None else CountsOut(**counts.__dict__),
        cancel_reason=visit.cancel_reason,
    )


class ClassOut(BaseModel):
    school_id: str
    grade: int
    class_label: str


def class_out(ref: ClassRef) -> ClassOut:
    return ClassOut(school_id=ref.school_id, grade=ref.grade, class_label=ref.class_label)


class ClassStatusOut(BaseModel):
    grade: int
    class_label: str
    pupils: int
    programme_visit: VisitOut | None
    visits: list[VisitOut]


def class_status_out(year: SchoolYear, status: ClassStatus) -> ClassStatusOut:
    found = status.programme_visit
    return ClassStatusOut(
        grade=status.school_class.grade,
        class_label=status.school_class.class_label,
        pupils=status.school_class.pupils,
        programme_visit=None if found is None else visit_out(year, found),
        visits=[visit_out(year, v) for v in status.visits],
    )


class SlotOut(BaseModel):
    branch_id: str
    day: date
    starts_at: datetime
    ends_at: datetime


def slot_out(slot: Slot) -> SlotOut:
    return SlotOut(
        branch_id=slot.branch_id,
        day=slot.day,
        starts_at=slot.starts_at.astimezone(OSLO),
        ends_at=slot.ends_at.astimezone(OSLO),
    )


class PlannedVisitOut(BaseModel):
    school_id: str
    grade: int
    class_label: str
    branch_id: str
    starts_at: datetime
    ends_at: datetime
    expected_pupils: int
    programme: Programme


def planned_out(planned: PlannedVisit) -> PlannedVisitOut:
    ref = planned.pupils_of
    return PlannedVisitOut(
        school_id=ref.school_id,
        grade=ref.grade,
        class_label=ref.class_label,
        branch_id=planned.slot.branch_id,
        starts_at=planned.slot.starts_at.astimezone(OSLO),
        ends_at=planned.slot.ends_at.astimezone(OSLO),
        expected_pupils=planned.expected_pupils,
        programme=planned.programme,
    )


class PlanOut(BaseModel):
    school_year: str
    visits: list[PlannedVisitOut]
    no_room: list[ClassOut]
