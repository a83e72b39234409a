"""The register of schools the public library works with, and the ways from each school to the
branches: one stream per tenant (``school-register-<tenant>``), since schools are few (about 35)
and registering one must see all the others. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import Route, SchoolRegistered, SchoolRoutesSet, SchoolType
from tvers_runtime.domain import Conflict, NotFound, UnknownReference


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
    #: The ways to the branches its classes can reach (maybe none listed).
    routes: tuple[Route, ...] = ()

    def branches_by_nearness(self) -> list[str]:
        """The branches its classes may visit, nearest first: the registered nearest branch,
        then the others with a route, by travel time (then by id, for a stable order)."""
        others = sorted(
            (r for r in self.routes if r.branch_id != self.nearest_branch_id),
            key=lambda r: (r.minutes, r.branch_id),
        )
        return [self.nearest_branch_id, *(r.branch_id for r in others)]

    def teaches(self, grade: int) -> bool:
        """Whether a school of its type has classes of ``grade``."""
        if self.school_type is SchoolType.PRIMARY:
            return 1 <= grade <= 7
        if self.school_type is SchoolType.LOWER_SECONDARY:
            return 8 <= grade <= 10
        return 1 <= grade <= 10


@dataclass(frozen=True)
class SchoolRegister:
    """Every registered school, by id."""

    schools: dict[str, School] = field(default_factory=dict)

    def __contains__(self, school_id: object) -> bool:
        return school_id in self.schools

    def get(self, school_id: str) -> School:
        """The school; :class:`UnknownReference` when none is registered by that id."""
        found = self.schools.get(school_id)
        if found is None:
            raise UnknownReference(f"no school {school_id!r} is registered; register it first")
        return found


NO_SCHOOLS = SchoolRegister()


def evolve(register: SchoolRegister, event: DomainEvent) -> SchoolRegister:
    """The register after an event."""
    if isinstance(event, SchoolRegistered):
        school = School(event.school_id, event.name, event.school_type, event.nearest_branch_id)
        return SchoolRegister({**register.schools, school.school_id: school})
    if isinstance(event, SchoolRoutesSet) and event.school_id in register:
        school = replace(register.schools[event.school_id], routes=tuple(event.routes))
        return SchoolRegister({**register.schools, school.school_id: school})
    return register


def unknown_branch(branch_id: str) -> UnknownReference:
    """The refusal of a branch this service does not know (yet)."""
    return UnknownReference(
        f"no branch {branch_id!r} is known here; a branch registered in access a moment ago is "
        "known within seconds, so try again shortly"
    )


def register_school(
    register: SchoolRegister, school: School, *, branch_known: bool
) -> list[DomainEvent]:
    """Add a school whose nearest branch is known."""
    if school.school_id in register:
        raise Conflict(f"school {school.school_id!r} is already registered")
    if not branch_known:
        raise unknown_branch(school.nearest_branch_id)
    return [
        SchoolRegistered(
            school_id=school.school_id,
            name=school.name,
            school_type=school.school_type,
            nearest_branch_id=school.nearest_branch_id,
        )
    ]


def set_routes(
    register: SchoolRegister,
    school_id: str,
    routes: Sequence[Route],
    *,
    unknown_branches: Sequence[str],
) -> list[DomainEvent]:
    """Replace the ways from a registered school to known branches."""
    if school_id not in register:
        raise NotFound(f"no school {school_id!r} is registered")
    if unknown_branches:
        raise unknown_branch(unknown_branches[0])
    if tuple(routes) == register.schools[school_id].routes:
        return []
    return [SchoolRoutesSet(school_id=school_id, routes=list(routes))]
