"""Who sees which school's affairs: a teacher's or a school librarian's token is bound to one
school (its ``school_id``) and reaches that school's classes, visits and deposits only; staff
(and a viewer, who only reads) reach every school."""

from __future__ import annotations

from fastapi import status

from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.errors import ApiError

#: The roles bound to one school.
SCHOOL_ROLES = frozenset({Role.TEACHER, Role.SCHOOL_LIBRARIAN})


def own_school(who: Principal) -> str | None:
    """The one school the caller is bound to; ``None`` for staff, who reach every school. A
    teacher's or school librarian's token that names no school reaches none (403)."""
    if who.role not in SCHOOL_ROLES:
        return None
    if who.school_id is None:
        raise ApiError(
            status.HTTP_403_FORBIDDEN,
            "forbidden",
            f"this {who.role.value} token names no school (school_id)",
        )
    return who.school_id


def check_school(who: Principal, school_id: str) -> None:
    """403 unless the caller may reach ``school_id``'s affairs."""
    own = own_school(who)
    if own is not None and own != school_id:
        raise ApiError(
            status.HTTP_403_FORBIDDEN,
            "forbidden",
            f"this {who.role.value} token is for school {own!r}; it cannot act for {school_id!r}",
        )
