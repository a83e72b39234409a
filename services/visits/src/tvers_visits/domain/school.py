"""The register of schools the public library works with: one stream, since schools are few
(about 35) and registering one must see all the others."""

from __future__ import annotations

from dataclasses import dataclass, field

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import SchoolRegistered, SchoolType
from tvers_runtime.domain import Conflict, UnknownReference


def stream(tenant: str) -> str:
    """The tenant's register's stream id (two municipalities may name a school alike)."""
    return f"school-register-{tenant}"


@dataclass(frozen=True)
class School:
    """A school as the rules need it."""

    school_id: str
    name: str
    school_type: SchoolType
    nearest_branch_id: str


@dataclass(frozen=True)
class SchoolRegister:
    """Every registered school, by id."""

    schools: dict[str, School] = field(default_factory=dict)

    def __contains__(self, school_id: object) -> bool:
        return school_id in self.schools


NO_SCHOOLS = SchoolRegister()


def evolve(register: SchoolRegister, event: DomainEvent) -> SchoolRegister:
    """The register after an event."""
    if isinstance(event, SchoolRegistered):
        school = School(event.school_id, event.name, event.school_type, event.nearest_branch_id)
        return SchoolRegister({**register.schools, school.school_id: school})
    return register


def register_school(
    register: SchoolRegister, school: School, *, branch_known: bool
) -> list[DomainEvent]:
    """Add a school whose nearest branch is known."""
    if school.school_id in register:
        raise Conflict(f"school {school.school_id!r} is already registered")
    if not branch_known:
        raise UnknownReference(
            f"no branch {school.nearest_branch_id!r} is known here; a branch registered in "
            "access a moment ago is known within seconds, so try again shortly"
        )
    return [
        SchoolRegistered(
            school_id=school.school_id,
            name=school.name,
            school_type=school.school_type,
            nearest_branch_id=school.nearest_branch_id,
        )
    ]
