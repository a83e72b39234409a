"""A volunteer's personal data: what registration takes that no event may carry. Pure, no I/O.

It lives only in the service's vault, encrypted per person (decision 0020), and is handed out to
staff and to the volunteer themself. Its ``repr`` shows no value, so that a stray log line, an
assertion message or a traceback cannot spill it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tvers_runtime.domain import NotFound


@dataclass(frozen=True, repr=False)
class PersonalData:
    """Name, contact details and birth year of one volunteer."""

    name: str
    email: str
    phone: str | None
    birth_year: int

    def __repr__(self) -> str:
        return "PersonalData(<not shown>)"


class Erased(NotFound):
    """The volunteer's personal data was erased: their key is destroyed, and it can never be read
    again. Their events stay, under an id that leads to no one."""

    code = "erased"

    def __init__(self, message: str = "this volunteer's personal data was erased") -> None:
        super().__init__(message)
