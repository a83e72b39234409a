"""The volunteers events of issue 8: their subjects, the upcast of ShiftPublished v1 (a hosting
shift), and payloads that keep themselves consistent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from tvers_contracts import REGISTRY, event_subject
from tvers_contracts.events.volunteers import (
    AttendanceCorrected,
    CorrectionReason,
    HostingRuleSet,
    HostsBelowMinimumFlagged,
    PromotedFromWaitlist,
    ShiftCancelled,
    ShiftClaimed,
    ShiftProposalWithdrawn,
    ShiftProposed,
    ShiftPublished,
    ShiftRole,
    VolunteerRegistered,
    WithdrawalReason,
)
from tvers_contracts.events.volunteers import v1 as volunteers_v1

STARTS = datetime(2026, 12, 1, 17, tzinfo=UTC)
ENDS = STARTS + timedelta(hours=2)


def test_new_events_travel_on_their_aggregates_subjects() -> None:
    assert event_subject(VolunteerRegistered) == "volunteers.volunteer.volunteer_registered"
    assert event_subject(PromotedFromWaitlist) == "volunteers.shift.promoted_from_waitlist"
    assert (
        event_subject(HostsBelowMinimumFlagged) == "volunteers.coverage.hosts_below_minimum_flagged"
    )


def test_shift_published_keeps_its_subject_across_versions() -> None:
    assert event_subject(ShiftPublished) == event_subject(volunteers_v1.ShiftPublished)
    assert REGISTRY.current("ShiftPublished") is ShiftPublished


def test_a_version_1_shift_reads_as_a_hosting_shift() -> None:
    shift_id = uuid4()
    payload = {
        "shift_id": str(shift_id),
        "branch_id": "skodje",
        "starts_at": STARTS.isoformat(),
        "ends_at": ENDS.isoformat(),
        "capacity": 2,
    }
    volunteers_v1.ShiftPublished.model_validate(payload)
    event = REGISTRY.decode("ShiftPublished", 1, payload)
    assert isinstance(event, ShiftPublished)
    assert (event.shift_id, event.role) == (shift_id, ShiftRole.HOST)


def test_shift_claimed_keeps_its_version_1_shape() -> None:
    assert list(ShiftClaimed.model_fields) == [
        "shift_id",
        "volunteer_id",
        "branch_id",
        "starts_at",
        "ends_at",
    ]


def proposed(**fields: Any) -> dict[str, Any]:
    return {
        "shift_id": str(uuid4()),
        "branch_id": "skodje",
        "starts_at": STARTS.isoformat(),
        "ends_at": ENDS.isoformat(),
        "capacity": 2,
        "role": "host",
        "rule": {"last_minutes": 120, "hosts": 2},
        "meirope_starts_at": (STARTS - timedelta(hours=3)).isoformat(),
        "meirope_ends_at": ENDS.isoformat(),
        **fields,
    }


def test_a_proposal_lies_within_its_meirope_period() -> None:
    ShiftProposed.model_validate(proposed())
    with pytest.raises(ValidationError, match="within its meirope period"):
        ShiftProposed.model_validate(proposed(meirope_ends_at=STARTS.isoformat()))


def test_a_cancellation_names_at_most_a_full_shift_of_holders() -> None:
    fields: dict[str, Any] = {
        "shift_id": uuid4(),
        "branch_id": "skodje",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "staff_id": "staff:5e1f",
        "waitlisted": [],
    }
    ShiftCancelled(**fields, volunteers=[uuid4() for _ in range(20)])
    with pytest.raises(ValidationError, match="at most 20"):
        ShiftCancelled(**fields, volunteers=[uuid4() for _ in range(21)])


@pytest.mark.parametrize("staff_id", ["Kari Nordmann", "kari@example.no", "staff:a.b", ""])
def test_a_staff_member_is_an_opaque_id_never_a_name_or_address(staff_id: str) -> None:
    with pytest.raises(ValidationError):
        AttendanceCorrected(
            shift_id=uuid4(),
            volunteer_id=uuid4(),
            branch_id="skodje",
            checked_in_at=STARTS,
            checked_out_at=ENDS,
            staff_id=staff_id,
            reason=CorrectionReason.WRONG_TIME,
        )


def test_a_correction_ends_no_earlier_than_it_starts() -> None:
    with pytest.raises(ValidationError, match="before its check-in"):
        AttendanceCorrected(
            shift_id=uuid4(),
            volunteer_id=uuid4(),
            branch_id="skodje",
            checked_in_at=ENDS,
            checked_out_at=STARTS,
            staff_id="staff:5e1f",
            reason=CorrectionReason.WRONG_TIME,
        )


def test_an_hour_is_flagged_only_below_its_minimum() -> None:
    with pytest.raises(ValidationError, match="only below its minimum"):
        HostsBelowMinimumFlagged(
            branch_id="skodje",
            hour_starts_at=STARTS,
            hour_ends_at=STARTS + timedelta(hours=1),
            hosts=2,
            minimum=2,
        )


def test_a_hosting_rule_travels_on_its_own_subject_and_keeps_its_minimum_within_its_hosts() -> None:
    assert event_subject(HostingRuleSet) == "volunteers.hosting_rule.hosting_rule_set"
    rule = {"branch_id": "skodje", "last_minutes": None, "hosts": 3, "staff_id": "staff:5e1f"}
    assert HostingRuleSet.model_validate({**rule, "minimum_hosts": 3}).last_minutes is None
    with pytest.raises(ValidationError, match="at most the hosts"):
        HostingRuleSet.model_validate({**rule, "minimum_hosts": 4})


def test_a_version_1_withdrawal_reads_the_same_in_version_2_which_adds_a_changed_rule() -> None:
    shift_id = uuid4()
    payload = {
        "shift_id": str(shift_id),
        "branch_id": "skodje",
        "reason": "meirope_period_gone",
        "staff_id": None,
    }
    event = REGISTRY.decode("ShiftProposalWithdrawn", 1, payload)
    assert isinstance(event, ShiftProposalWithdrawn)
    assert (event.shift_id, event.reason) == (shift_id, WithdrawalReason.MEIROPE_PERIOD_GONE)
    assert event_subject(ShiftProposalWithdrawn) == event_subject(
        volunteers_v1.ShiftProposalWithdrawn
    )
    with pytest.raises(ValidationError):
        volunteers_v1.ShiftProposalWithdrawn.model_validate(
            {**payload, "reason": "hosting_rule_changed"}
        )
    changed = {**payload, "reason": "hosting_rule_changed"}
    decoded = REGISTRY.decode("ShiftProposalWithdrawn", 2, changed)
    assert isinstance(decoded, ShiftProposalWithdrawn)
    assert decoded.reason is WithdrawalReason.HOSTING_RULE_CHANGED
