"""The demo's school year at the doors: its span and size, the time of day, a refusal of every
kind as the access domain decides it, the library system away, alarms, tailgating, people left
inside at closing, and requests that mean the same whatever day the demo runs."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from tvers_access.domain import closing
from tvers_access.domain.agreement import Agreement, Standing
from tvers_access.domain.branch import Branch as AccessBranch
from tvers_access.domain.entry import UNREACHABLE, LibraryAnswer, decide_entry
from tvers_access.domain.occupancy_rules import OccupancyRules
from tvers_access.domain.patron import PatronStatus
from tvers_access.domain.rules import AccessRules
from tvers_cli.demo.counts_and_alarms import CHECKED_BACK, left_inside
from tvers_cli.demo.data import DemoData, build, people
from tvers_cli.demo.places import UNACCOMPANIED_MIN_AGE, ZONE, Branch
from tvers_cli.demo.plans import Presentation
from tvers_contracts.events.access import DenialReason, DoorAlarmKind, EntryGranted, SchedulePeriod
from tvers_contracts.values import OpeningKind

UNTIL = datetime(2026, 11, 30, 19, 40, tzinfo=ZONE)  # a Monday evening, before any closing


@pytest.fixture(scope="module")
def data() -> DemoData:
    return build(UNTIL)


def shown(data: DemoData) -> list[Presentation]:
    return [p for arrival in data.presentations for p in arrival] + data.outage


def branch_of(data: DemoData, door_id: str) -> Branch:
    return next(b for b in data.branches if b.door_id == door_id)


def decide(data: DemoData, p: Presentation, *, reachable: bool = True) -> str:
    """What the access domain decides for a presentation, a child coming alone."""
    branch = branch_of(data, p.door_id)
    rules = AccessRules(
        meirope_min_age=branch.meirope_min_age,
        unaccompanied_min_age=min(UNACCOMPANIED_MIN_AGE, branch.meirope_min_age),
        when_unreachable=branch.when_unreachable,
    )
    periods = tuple(SchedulePeriod(**period.__dict__) for period in branch.periods)
    at_branch = AccessBranch(branch.branch_id, branch.name, rules, periods=periods)
    patron = next((q for q in data.patrons if q.card == p.card_number), None)
    signed = next((a for a in data.signed if a.card_number == p.card_number), None)
    standing = Standing.NONE if signed is None else Standing.IN_FORCE
    if p.card_number in data.suspended:
        standing = Standing.SUSPENDED
    consent = signed is not None and signed.guardian_card_number is not None
    agreement = Agreement(standing, guardian_consent=consent, guardian_ref="guardian")
    local = p.presented_at.astimezone(ZONE)
    library: LibraryAnswer = None
    if at_branch.opening_at(local) is OpeningKind.MEIROPE:
        library = UNREACHABLE if not reachable else PatronStatus(
            known=patron is not None,
            pin_valid=patron is not None and patron.pin == p.pin,
            blocked=patron is not None and patron.blocked,
            birth_date=patron.birth_date if patron else None,
        )  # fmt: skip
    decision = decide_entry(
        door_id=p.door_id,
        branch=at_branch,
        agreement=agreement,
        patron_ref="0" * 32,
        local_time=local,
        library=library,
    )
    return "granted" if isinstance(decision.event, EntryGranted) else decision.event.reason


def test_the_door_traffic_runs_from_the_first_of_august_to_now(data: DemoData) -> None:
    moments = [p.presented_at for p in shown(data)]
    assert min(moments).astimezone(ZONE).date() == date(2026, 8, 1)
    assert max(moments) < UNTIL
    months = Counter(m.astimezone(ZONE).strftime("%Y-%m") for m in moments)
    assert set(months) == {"2026-08", "2026-09", "2026-10", "2026-11"}
    # The last three weeks are dense, the months before sparse.
    assert months["2026-11"] > 3 * months["2026-10"]
    assert all(c.counted_at < UNTIL for c in data.counts + data.left_inside)
    assert all(a.raised_at < UNTIL for a in data.alarms)


@pytest.mark.parametrize(
    "until",
    [datetime(2027, 7, 31, 23, 30, tzinfo=ZONE), datetime(2027, 8, 1, 12, tzinfo=ZONE)],
)
def test_a_whole_school_year_stays_within_what_access_takes_and_a_quick_fill(
    until: datetime,
) -> None:
    data = build(until)
    moments = [p.presented_at for p in shown(data)]
    moments += [c.counted_at for c in data.counts + data.left_inside]
    moments += [a.raised_at for a in data.alarms]
    assert until - timedelta(days=366) < min(moments)  # access's longest backfill
    assert len(shown(data)) <= 5000
    if until.month == 8:  # a school year just begun: still the last three weeks
        assert min(moments).date() <= until.date() - timedelta(days=21)


def test_patrons_come_after_work_and_school_more_than_in_the_morning_or_late(
    data: DemoData,
) -> None:
    hours = Counter(
        p.presented_at.astimezone(ZONE).hour
        for p in shown(data)
        if p.presented_at.astimezone(ZONE).isoweekday() <= 5
    )
    afternoon = hours[16] + hours[17] + hours[18]
    assert afternoon > 2 * (hours[7] + hours[8] + hours[9])
    assert afternoon > 3 * (hours[20] + hours[21] + hours[22])
    assert hours[23] + hours[6] > 0  # now and then someone tries a closed door


def test_a_refusal_of_every_kind_is_planned_and_the_door_rules_refuse_it(
    data: DemoData,
) -> None:
    planned = [p for arrival in data.presentations for p in arrival if p.expect is not None]
    for p in planned:
        assert decide(data, p) == p.expect, p
    for p in data.outage:
        assert decide(data, p, reachable=False) == p.expect, p
    expected = {p.expect for p in planned + data.outage}
    assert set(DenialReason) <= expected
    # At the branch that lets agreement holders in, they come in while the library is away.
    assert {p.expect for p in data.outage} == {"granted", "library_system_unreachable"}


def test_ordinary_traffic_is_mostly_let_in_with_every_refusal_now_and_then(
    data: DemoData,
) -> None:
    ordinary = [p for a in data.presentations if len(a) == 1 for p in a if p.expect is None]
    outcomes = Counter(decide(data, p) for p in ordinary)
    assert outcomes["granted"] > 0.75 * len(ordinary)
    for reason in set(DenialReason) - {DenialReason.LIBRARY_SYSTEM_UNREACHABLE}:
        assert outcomes[reason] > 0, reason


def test_the_library_system_is_away_one_weekday_evening_and_no_other_arrival_then(
    data: DemoData,
) -> None:
    moments = {p.presented_at for p in data.outage}
    assert len({m.date() for m in moments}) == 1
    start, end = min(moments), max(moments)
    assert end - start < timedelta(minutes=30)
    assert start.isoweekday() <= 5
    others = [p for p in shown(data) if p not in data.outage]
    assert not any(start - timedelta(minutes=5) <= p.presented_at <= end for p in others)


def test_door_alarms_of_both_kinds_at_sensible_times(data: DemoData) -> None:
    kinds = Counter(a.kind for a in data.alarms)
    assert kinds[DoorAlarmKind.HELD_OPEN] >= 1
    assert kinds[DoorAlarmKind.FORCED] >= 1
    for alarm in data.alarms:
        mode = branch_of(data, alarm.door_id).schedule().mode_at(alarm.raised_at)
        held = alarm.kind is DoorAlarmKind.HELD_OPEN
        assert mode is (OpeningKind.MEIROPE if held else OpeningKind.CLOSED)


def test_two_people_in_on_one_card_raise_tailgating(data: DemoData) -> None:
    entries = [c for c in data.counts if c.entries]
    assert len(entries) >= 3
    for reading in entries:
        near = [
            p
            for p in shown(data)
            if p.door_id == reading.door_id
            and timedelta(0) <= reading.counted_at - p.presented_at <= timedelta(seconds=100)
        ]
        assert [decide(data, p) for p in near] == ["granted"]  # one grant, two entries
        assert reading.counted_at - near[0].presented_at <= timedelta(seconds=10)
        assert reading.entries == 2
        mode = branch_of(data, reading.door_id).schedule().mode_at(reading.counted_at)
        assert mode is OpeningKind.MEIROPE
    # Both go out again before closing: the building is empty then.
    assert sum(c.entries for c in data.counts) == sum(c.exits for c in data.counts)


def test_people_are_left_inside_at_two_closings_the_scheduler_still_checks(
    data: DemoData,
) -> None:
    doors = Counter(c.door_id for c in data.left_inside)
    assert len(doors) == 2
    assert all(c.entries == 1 and c.exits == 0 for c in data.left_inside)
    fill_done = UNTIL + timedelta(minutes=10)
    for door_id in doors:
        schedule = branch_of(data, door_id).schedule()
        checks = [
            item
            for item in closing.due(
                schedule, OccupancyRules(), since=fill_done - timedelta(hours=24), now=fill_done
            )
            if item.kind is closing.DueKind.CHECK
        ]
        counted = [c.counted_at for c in data.left_inside if c.door_id == door_id]
        (check,) = [c for c in checks if c.closing.meirope_from <= min(counted) < c.closing.ends]
        assert max(counted) < check.closing.ends
        assert UNTIL - CHECKED_BACK < check.at <= UNTIL  # checked before the fill, as it was
        for moment in counted:  # each counted entry follows a grant, so no tailgating
            grants = [
                p
                for p in shown(data)
                if p.door_id == door_id
                and timedelta(0) < moment - p.presented_at <= timedelta(seconds=10)
            ]
            assert [decide(data, p) for p in grants] == ["granted"]


@pytest.mark.parametrize("week_of", [date(2026, 3, 23), date(2026, 10, 19), date(2026, 11, 30)])
def test_at_any_time_of_a_week_two_branches_closed_recently_enough(
    data: DemoData, week_of: date
) -> None:
    """Whenever the demo runs (across both daylight-saving changes too), two branches have a
    closing the scheduler still checks, at which people are left inside."""
    start = datetime.combine(week_of, datetime.min.time(), ZONE)
    for half_hours in range(2 * 24 * 7):
        until = start + timedelta(minutes=30 * half_hours)
        _, readings = left_inside(people(data), data.branches, until)
        assert len({r.door_id for r in readings}) == 2, until


def test_a_request_means_the_same_whatever_day_the_demo_runs(data: DemoData) -> None:
    later = build(datetime(2026, 12, 7, 18, tzinfo=UTC))
    for kind in ("presentations", "counts", "left_inside", "alarms", "outage"):
        before = _by_key(data, kind)
        after = _by_key(later, kind)
        shared = set(before) & set(after)
        assert all(before[key] == after[key] for key in shared), kind
    # The days that were dense and are sparse now keep a few of the same arrivals.
    assert set(_by_key(data, "presentations")) & set(_by_key(later, "presentations"))


def _by_key(data: DemoData, kind: str) -> dict[str, object]:
    items = getattr(data, kind)
    if kind == "presentations":
        items = [p for arrival in items for p in arrival]
    return {item.key: item for item in items}


def test_the_same_moment_gives_the_same_requests_under_keys_of_their_own() -> None:
    first, second = build(UNTIL), build(UNTIL)
    assert first == second
    keys = [p.key for p in shown(first)] + [c.key for c in first.counts + first.left_inside]
    keys += [a.key for a in first.alarms]
    assert len(set(keys)) == len(keys)
