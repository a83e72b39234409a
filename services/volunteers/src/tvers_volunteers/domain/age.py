"""A volunteer's age band, from the birth year given at registration. Pure, no I/O.

Only the band reaches the events; the birth year stays in the vault. The age is the one the
volunteer reaches in the year of registration (a birth year says no more), and the band is fixed
then: reports count sign-ups by the age people had when they came.

Bands (:class:`~tvers_contracts.events.volunteers.AgeBand`): under 18 (upper-secondary pupils,
who may want a certificate of their hours), 18-25, 26-66 (working age), 67 and over (retired),
coarse enough that none singles out one of some fifty volunteers.
"""

from __future__ import annotations

from datetime import date

from tvers_contracts.events.volunteers import AgeBand
from tvers_runtime.domain import RuleViolated

#: The youngest a volunteer may be, in the year they register: the commonest meirope age limit,
#: and below the upper-secondary school age.
YOUNGEST = 15
OLDEST = 110
_ADULT = 18
_YOUNG_ADULT_UNTIL = 25
_WORKING_AGE_UNTIL = 66


def age_band(birth_year: int, today: date) -> AgeBand:
    """The band of the age reached this year by someone born in ``birth_year``."""
    age = today.year - birth_year
    if age < YOUNGEST:
        raise RuleViolated(
            f"a volunteer must be at least {YOUNGEST} this year: born in {today.year - YOUNGEST} "
            "or before"
        )
    if age > OLDEST:
        raise RuleViolated(f"a birth year must lie within the past {OLDEST} years")
    if age < _ADULT:
        return AgeBand.UNDER_18
    if age <= _YOUNG_ADULT_UNTIL:
        return AgeBand.FROM_18_TO_25
    if age <= _WORKING_AGE_UNTIL:
        return AgeBand.FROM_26_TO_66
    return AgeBand.FROM_67
