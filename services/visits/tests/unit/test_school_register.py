"""The school register: each school once, and only with a branch that exists."""

import pytest

from tvers_contracts.events.visits import SchoolRegistered, SchoolType
from tvers_runtime.domain import Conflict, UnknownReference
from tvers_visits.domain import school

ASPOY = school.School("aspoy-skule", "Aspøy skule", SchoolType.COMBINED, "alesund-sentrum")


def test_a_registered_school_is_in_the_register() -> None:
    (event,) = school.register_school(school.NO_SCHOOLS, ASPOY, branch_known=True)
    assert isinstance(event, SchoolRegistered)
    register = school.evolve(school.NO_SCHOOLS, event)
    assert register.schools == {"aspoy-skule": ASPOY}
    assert "aspoy-skule" in register
    assert "aspoy-skule" not in school.NO_SCHOOLS


def test_a_school_is_registered_once() -> None:
    register = school.evolve(
        school.NO_SCHOOLS, school.register_school(school.NO_SCHOOLS, ASPOY, branch_known=True)[0]
    )
    with pytest.raises(Conflict, match="already registered"):
        school.register_school(register, ASPOY, branch_known=True)


def test_a_school_whose_nearest_branch_is_not_known_is_refused() -> None:
    with pytest.raises(UnknownReference, match="no branch 'alesund-sentrum'"):
        school.register_school(school.NO_SCHOOLS, ASPOY, branch_known=False)
