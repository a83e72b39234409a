"""The access service's use cases: each loads what it needs, lets the domain decide, and
stores the outcome. No HTTP here, and no SQL. The families live in modules of their own; the
service is wired with all of them in one object."""

from __future__ import annotations

from tvers_access.agreement_cases import AgreementCases
from tvers_access.branch_cases import BranchCases
from tvers_access.door_decisions import CLOCK_SKEW, DoorDecisions
from tvers_access.retention_cases import RetentionCases

__all__ = ["CLOCK_SKEW", "AccessApplication"]


class AccessApplication(BranchCases, AgreementCases, DoorDecisions, RetentionCases):
    """Use cases of meirope access."""
