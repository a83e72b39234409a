"""Recording help and undoing it: known sites and offered categories only, no referral to one's
own department, and an undo window of five minutes measured on the clock, not the calendar."""

from datetime import UTC, datetime, timedelta
from functools import reduce
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.desk import (
    Channel,
    Department,
    Duration,
    HelpGiven,
    HelpUndone,
    UndoReason,
)
from tvers_desk.domain import categories, help_record
from tvers_desk.domain.categories import NO_CATEGORIES
from tvers_desk.domain.errors import (
    AlreadyUndone,
    CategoryNotOffered,
    HelpNotFound,
    ReferralToOwnDepartment,
    UndoWindowClosed,
    UnknownCategory,
    UnknownSite,
)
from tvers_desk.domain.help_record import NO_RECORD, NewHelp
from tvers_desk.domain.sites import DEFAULT_SITES

OSLO = ZoneInfo("Europe/Oslo")
CATEGORIES = reduce(categories.evolve, categories.start_with_defaults(NO_CATEGORIES), NO_CATEGORIES)
PRINTING = NewHelp(
    site="skodje",
    department=Department.LIBRARY,
    category_id="printing-scanning",
    channel=Channel.IN_PERSON,
    duration=Duration.UNDER_5_MINUTES,
)


def oslo(text: str) -> datetime:
    """An Oslo wall-clock time, as the aware moment the clock tells."""
    return datetime.fromisoformat(text).replace(tzinfo=OSLO).astimezone(UTC)


def give(new: NewHelp = PRINTING, now: datetime | None = None) -> list[DomainEvent]:
    return help_record.give(
        NO_RECORD,
        uuid4(),
        new,
        sites=DEFAULT_SITES,
        categories=CATEGORIES,
        now=now or oslo("2026-11-30T10:00"),
    )


def given_at(text: str) -> help_record.HelpRecord:
    return reduce(help_record.evolve, give(now=oslo(text)), NO_RECORD)


def test_help_given_records_site_department_category_channel_and_duration() -> None:
    [event] = give(
        NewHelp(
            site="haroy",
            department=Department.CITIZEN_SERVICE,
            category_id="bankid-id-porten",
            channel=Channel.PHONE,
            duration=Duration.OVER_15_MINUTES,
            referred_to=Department.LIBRARY,
        )
    )
    assert isinstance(event, HelpGiven)
    assert (event.site, event.department, event.category_id) == (
        "haroy",
        Department.CITIZEN_SERVICE,
        "bankid-id-porten",
    )
    assert (event.channel, event.duration, event.referred_to) == (
        Channel.PHONE,
        Duration.OVER_15_MINUTES,
        Department.LIBRARY,
    )
    assert event.given_at == oslo("2026-11-30T10:00")


def test_every_one_of_the_five_sites_is_known() -> None:
    assert set(DEFAULT_SITES) == {"alesund-sentrum", "brattvag", "haroy", "skodje", "sjoholt"}
    for site in DEFAULT_SITES:
        assert give(NewHelp(**{**PRINTING.__dict__, "site": site}))


def test_an_unknown_site_is_refused() -> None:
    with pytest.raises(UnknownSite, match="vigra"):
        give(NewHelp(**{**PRINTING.__dict__, "site": "vigra"}))


def test_an_unknown_category_is_refused() -> None:
    with pytest.raises(UnknownCategory):
        give(NewHelp(**{**PRINTING.__dict__, "category_id": "astrology"}))


def test_a_retired_category_is_refused() -> None:
    retired = reduce(categories.evolve, categories.retire(CATEGORIES, "other"), CATEGORIES)
    with pytest.raises(CategoryNotOffered):
        help_record.give(
            NO_RECORD,
            uuid4(),
            NewHelp(**{**PRINTING.__dict__, "category_id": "other"}),
            sites=DEFAULT_SITES,
            categories=retired,
            now=oslo("2026-11-30T10:00"),
        )


@pytest.mark.parametrize("department", list(Department))
def test_a_referral_to_ones_own_department_is_refused(department: Department) -> None:
    with pytest.raises(ReferralToOwnDepartment):
        give(NewHelp(**{**PRINTING.__dict__, "department": department, "referred_to": department}))


def test_a_referral_to_another_department_is_recorded() -> None:
    [event] = give(NewHelp(**{**PRINTING.__dict__, "referred_to": Department.VOLUNTEER_CENTRE}))
    assert isinstance(event, HelpGiven)
    assert event.referred_to is Department.VOLUNTEER_CENTRE


def test_a_record_may_be_undone_until_just_before_five_minutes_have_passed() -> None:
    record = given_at("2026-11-30T10:00")
    just_before = oslo("2026-11-30T10:05") - timedelta(microseconds=1)
    assert record.given is not None
    assert help_record.undo(record, UndoReason.RECORDED_BY_MISTAKE, now=just_before) == [
        HelpUndone(help_id=record.given.help_id, reason=UndoReason.RECORDED_BY_MISTAKE)
    ]
    assert record.undo_until() == oslo("2026-11-30T10:05")


def test_a_record_cannot_be_undone_once_five_minutes_have_passed() -> None:
    record = given_at("2026-11-30T10:00")
    for late in ("2026-11-30T10:05", "2026-11-30T10:06", "2026-12-01T10:00"):
        with pytest.raises(UndoWindowClosed):
            help_record.undo(record, UndoReason.RECORDED_TWICE, now=oslo(late))


def test_the_undo_window_runs_on_past_midnight() -> None:
    record = given_at("2026-11-30T23:58")
    assert help_record.undo(record, UndoReason.WRONG_DETAILS, now=oslo("2026-12-01T00:02"))
    with pytest.raises(UndoWindowClosed):
        help_record.undo(record, UndoReason.WRONG_DETAILS, now=oslo("2026-12-01T00:03"))


def test_the_undo_window_is_five_real_minutes_the_night_the_clocks_go_back() -> None:
    # 25 October 2026: 03:00 summer time becomes 02:00 winter time. Given at 02:58 summer time
    # (00:58 UTC), 02:02 winter time (01:02 UTC) is four minutes later.
    given = datetime(2026, 10, 25, 0, 58, tzinfo=UTC)
    record = reduce(help_record.evolve, give(now=given), NO_RECORD)
    assert given.astimezone(OSLO).strftime("%H:%M %Z") == "02:58 CEST"
    four_minutes_on = datetime(2026, 10, 25, 1, 2, tzinfo=UTC)
    assert four_minutes_on.astimezone(OSLO).strftime("%H:%M %Z") == "02:02 CET"
    assert help_record.undo(record, UndoReason.RECORDED_BY_MISTAKE, now=four_minutes_on)
    with pytest.raises(UndoWindowClosed):
        help_record.undo(record, UndoReason.RECORDED_BY_MISTAKE, now=given + timedelta(minutes=5))


def test_a_record_is_undone_once() -> None:
    record = given_at("2026-11-30T10:00")
    undone = reduce(
        help_record.evolve,
        help_record.undo(record, UndoReason.RECORDED_TWICE, now=oslo("2026-11-30T10:01")),
        record,
    )
    assert undone.undone
    with pytest.raises(AlreadyUndone):
        help_record.undo(undone, UndoReason.RECORDED_TWICE, now=oslo("2026-11-30T10:02"))


def test_undoing_an_unknown_record_or_another_sites_is_refused_alike() -> None:
    with pytest.raises(HelpNotFound):
        help_record.undo(NO_RECORD, UndoReason.RECORDED_TWICE, now=oslo("2026-11-30T10:01"))
    record = given_at("2026-11-30T10:00")  # at Skodje
    with pytest.raises(HelpNotFound):
        help_record.undo(
            record, UndoReason.RECORDED_TWICE, now=oslo("2026-11-30T10:01"), only_site="haroy"
        )
    assert help_record.undo(
        record, UndoReason.RECORDED_TWICE, now=oslo("2026-11-30T10:01"), only_site="skodje"
    )
