"""Check-in and check-out on a shift: each event says who is on the shift after it (``present``),
so that the newest of a shift's events is enough; the payload stays consistent with itself."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

from tvers_contracts import REGISTRY, event_subject
from tvers_contracts.events.volunteers import VolunteerCheckedIn, VolunteerCheckedOut

STARTS = datetime(2025, 11, 3, 17, 0, tzinfo=UTC)
ENDS = STARTS + timedelta(hours=2)
ARRIVED = STARTS - timedelta(minutes=5)


def shift(volunteer_id: UUID, **fields: Any) -> dict[str, Any]:
    return {
        "shift_id": str(uuid4()),
        "branch_id": "skodje",
        "volunteer_id": str(volunteer_id),
        "starts_at": STARTS.isoformat(),
        "ends_at": ENDS.isoformat(),
        **fields,
    }


def host(volunteer_id: UUID, since: datetime = ARRIVED) -> dict[str, str]:
    return {"volunteer_id": str(volunteer_id), "checked_in_at": since.isoformat()}


def test_check_in_and_check_out_travel_on_the_shift_subjects() -> None:
    assert event_subject(VolunteerCheckedIn) == "volunteers.shift.volunteer_checked_in"
    assert event_subject(VolunteerCheckedOut) == "volunteers.shift.volunteer_checked_out"
    assert REGISTRY.current("VolunteerCheckedIn") is VolunteerCheckedIn
    assert REGISTRY.current("VolunteerCheckedOut") is VolunteerCheckedOut


def test_a_check_in_lists_the_volunteer_among_the_present_with_the_other_host() -> None:
    me, other = uuid4(), uuid4()
    payload = shift(
        me,
        checked_in_at=ARRIVED.isoformat(),
        present=[host(other, ARRIVED - timedelta(minutes=3)), host(me)],
    )
    event = REGISTRY.decode("VolunteerCheckedIn", 1, payload)
    assert isinstance(event, VolunteerCheckedIn)
    assert [h.volunteer_id for h in event.present] == [other, me]


def test_a_check_in_that_leaves_the_volunteer_out_of_the_present_is_refused() -> None:
    me = uuid4()
    with pytest.raises(ValidationError, match="present must include the volunteer"):
        VolunteerCheckedIn.model_validate(
            shift(me, checked_in_at=ARRIVED.isoformat(), present=[host(uuid4())])
        )


def test_a_check_in_whose_present_entry_has_another_time_is_refused() -> None:
    me = uuid4()
    with pytest.raises(ValidationError, match="present must include the volunteer"):
        VolunteerCheckedIn.model_validate(
            shift(me, checked_in_at=ARRIVED.isoformat(), present=[host(me, STARTS)])
        )


def test_a_volunteer_is_present_on_a_shift_once() -> None:
    me = uuid4()
    with pytest.raises(ValidationError, match="at most once"):
        VolunteerCheckedIn.model_validate(
            shift(me, checked_in_at=ARRIVED.isoformat(), present=[host(me), host(me)])
        )


def test_a_check_out_closed_by_rule_at_the_shift_end_leaves_the_others_present() -> None:
    me, other = uuid4(), uuid4()
    event = VolunteerCheckedOut.model_validate(
        shift(
            me,
            checked_in_at=ARRIVED.isoformat(),
            checked_out_at=ENDS.isoformat(),
            closed_by_rule=True,
            present=[host(other)],
        )
    )
    assert event.closed_by_rule
    assert event.present_host(me) is None
    assert event.present_host(other) is not None


def test_a_check_out_that_keeps_the_volunteer_present_is_refused() -> None:
    me = uuid4()
    with pytest.raises(ValidationError, match="present must not include"):
        VolunteerCheckedOut.model_validate(
            shift(
                me,
                checked_in_at=ARRIVED.isoformat(),
                checked_out_at=ENDS.isoformat(),
                closed_by_rule=False,
                present=[host(me)],
            )
        )


def test_a_check_out_before_its_check_in_is_refused() -> None:
    me = uuid4()
    with pytest.raises(ValidationError, match="before its check-in"):
        VolunteerCheckedOut.model_validate(
            shift(
                me,
                checked_in_at=ARRIVED.isoformat(),
                checked_out_at=(ARRIVED - timedelta(seconds=1)).isoformat(),
                closed_by_rule=False,
                present=[],
            )
        )


def test_a_check_out_must_say_whether_the_rule_closed_it() -> None:
    me = uuid4()
    with pytest.raises(ValidationError, match="closed_by_rule"):
        VolunteerCheckedOut.model_validate(
            shift(
                me,
                checked_in_at=ARRIVED.isoformat(),
                checked_out_at=ENDS.isoformat(),
                present=[],
            )
        )


def test_a_shift_that_ends_before_it_starts_is_refused() -> None:
    me = uuid4()
    with pytest.raises(ValidationError, match="end after it starts"):
        VolunteerCheckedIn.model_validate(
            shift(
                me,
                ends_at=STARTS.isoformat(),
                checked_in_at=ARRIVED.isoformat(),
                present=[host(me)],
            )
        )
