"""A volunteer's certificate (*attest*) of the hours they served, on the volunteer's stream
(``volunteer-<id>``).

Issuing it is the event; the PDF is made from it on request, with the name read from the vault
at that moment. So the event holds what the certificate states (period, minutes, branches,
language) and who issued it, never the name or contact details.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from tvers_contracts.events.volunteers.base import StaffRef
from tvers_contracts.events.volunteers.people import VolunteerEvent
from tvers_contracts.values import Slug

#: A certificate's period is at most five years long (1827 days with two leap days). Its minutes
#: are bounded by that, around the clock, with room for a shift checked into on the last day.
MOST_MINUTES_SERVED = 1830 * 24 * 60
#: A certificate names at most this many branches (the municipality has ten libraries).
MOST_BRANCHES = 100


class CertificateLocale(StrEnum):
    """The language a certificate is written in: Norwegian nynorsk or English."""

    NN = "nn"
    EN = "en"


class CertificateIssued(VolunteerEvent):
    """A certificate of the hours a volunteer served in a period was issued, by staff or by the
    volunteer on their own page. The hours are those served on shifts whose check-in fell in the
    period (by the Europe/Oslo date), from check-in to check-out as last set."""

    period_from: dt.date = Field(description="The period's first day (Europe/Oslo), inclusive.")
    period_to: dt.date = Field(description="The period's last day (Europe/Oslo), inclusive.")
    minutes_served: int = Field(
        ge=0,
        le=MOST_MINUTES_SERVED,
        description="Minutes served in the period, whole minutes (rounded down).",
    )
    branches: list[Slug] = Field(
        max_length=MOST_BRANCHES,
        description="The branches served at in the period, sorted, each once.",
    )
    issued_by: StaffRef | None = Field(
        description="The staff member who issued it, or null when the volunteer issued it "
        "themselves on their page."
    )
    locale: CertificateLocale

    @model_validator(mode="after")
    def _a_period_and_its_branches(self) -> CertificateIssued:
        if self.period_to < self.period_from:
            raise ValueError("a period cannot end before it starts")
        if self.branches != sorted(set(self.branches)):
            raise ValueError("branches are sorted and each given once")
        return self
