"""The demo's volunteers' history: the same whenever it is made up to the same day, within the
volunteers service's rules at every step's moment (so the service, on the simulated clock, takes
every step), with waits, releases, no-shows, forgotten check-outs and certificates in it; and
rounds of steps that may be sent at once without changing what the service decides."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest

from tvers_cli.demo.history import History, Step, make, published_at, rounds
from tvers_cli.demo.hosting import HOSTED, PROGRAMME, slots, slots_between
from tvers_cli.demo.places import BRANCHES, ZONE
from tvers_contracts.values import OpeningKind
from tvers_volunteers.domain.windows import check_in_open, check_out_closes

DAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def history() -> History:
    return make(DAY)


def of_kind(history: History, kind: str) -> list[Step]:
    return [s for s in history.steps if s.kind == kind]


def test_the_history_is_the_same_whenever_it_is_made_up_to_the_same_day(
    history: History,
) -> None:
    assert make(DAY) == history
    # Staff's keys are theirs alone; a volunteer's key is theirs (keys belong to the caller).
    staff = [s.key for s in history.steps if s.kind in ("campaign", "register", "publish")]
    staff += [
        s.key for s in of_kind(history, "police-certificate") + of_kind(history, "introduction")
    ]
    assert len(set(staff)) == len(staff)
    own = [(s.key, s.volunteer) for s in history.steps if s.slot is not None and s.volunteer]
    assert len(set(own)) == len(own)


def test_the_history_runs_for_weeks_up_to_the_start_of_its_day(history: History) -> None:
    end = datetime.combine(DAY, time(), ZONE)
    assert all(step.at <= end for step in history.steps)
    assert history.steps == sorted(history.steps, key=lambda s: s.at)
    assert history.first_day == DAY - timedelta(weeks=6)
    assert {s.slot.key for s in of_kind(history, "publish") if s.slot} == {
        slot.key for slot in slots_between(history.first_day, DAY - timedelta(days=1))
    }
    # The school year's first weeks hold no shifts; a demo run then still gets three weeks.
    assert make(date(2026, 8, 20)).first_day == date(2026, 7, 30)
    assert make(date(2026, 9, 20)).first_day == date(2026, 8, 15)


def test_the_volunteers_come_through_the_campaigns_and_most_may_host(history: History) -> None:
    people = history.volunteers
    assert len(people) == 50
    assert {p.campaign for p in people} == set(history.campaigns)
    assert all(
        history.campaigns[p.campaign].channel == "vgs_visit" for p in people if p.vgs_student
    )
    assert sum(p.vgs_student for p in people) == 10
    assert 40 <= sum(p.hosts_from is not None for p in people) < 50
    for p in people:
        campaign = history.campaigns[p.campaign]
        assert campaign.recorded_at < p.registered_at
        assert p.registered_at.date() >= campaign.starts_on
        assert campaign.starts_on - campaign.recorded_at.date() <= timedelta(days=366)
        if p.certificate_at is not None:
            assert p.registered_at < p.certificate_at
        if p.introduction_at is not None and p.certificate_at is not None:
            assert p.certificate_at < p.introduction_at


def test_every_step_on_a_shift_keeps_within_the_services_rules(history: History) -> None:
    people = {p.number: p for p in history.volunteers}
    held: dict[int, list[tuple[datetime, datetime]]] = {}
    for story in history.shifts:
        slot = story.slot
        assert published_at(slot) < slot.starts_at
        for volunteer, at in story.claims:
            who = people[volunteer]
            ready = who.hosts_from if slot.role == "host" else who.registered_at
            assert published_at(slot) < at < slot.starts_at
            assert ready is not None
            assert ready < at
        if story.release is not None:
            assert max(at for _, at in story.claims) < story.release[1] < slot.starts_at
        assert len(story.holders) <= slot.capacity
        assert set(story.check_ins) <= set(story.holders)
        for at in story.check_ins.values():
            assert check_in_open(slot.starts_at, slot.ends_at, at)
        for volunteer, at in story.check_outs.items():
            assert story.check_ins[volunteer] < at < check_out_closes(slot.ends_at)
        for volunteer in story.holders:
            held.setdefault(volunteer, []).append((slot.starts_at, slot.ends_at))
    for spans in held.values():  # nobody holds two shifts that overlap
        spans.sort()
        assert all(end <= start for (_, end), (start, _) in pairwise(spans))


def test_the_history_has_waits_releases_no_shows_forgotten_check_outs_and_certificates(
    history: History,
) -> None:
    stories = history.shifts
    assert sum(len(s.waiting) for s in stories) + sum(1 for s in stories if s.release) > 20
    assert sum(1 for s in stories if s.release and s.claims[s.slot.capacity :]) > 5
    assert 3 <= sum(len(set(s.holders) - set(s.check_ins)) for s in stories) <= 25
    assert 3 <= sum(len(set(s.check_ins) - set(s.check_outs)) for s in stories) <= 25
    assert sum(len(s.check_outs) for s in stories) > 80
    assert any(step.or_wait for step in of_kind(history, "claim"))
    assert len(history.certificates) == 4
    assert all(history.volunteers[v].vgs_student for v in history.certificates)
    assert [s.kind for s in history.steps[-4:]] == ["certificate"] * 4


def test_the_scheduler_looks_whenever_something_falls_due(history: History) -> None:
    ticks = {s.at for s in of_kind(history, "tick")}
    for story in history.shifts:
        assert story.slot.ends_at in ticks  # no-shows
        assert check_out_closes(story.slot.ends_at) in ticks  # forgotten check-outs
        assert (
            datetime.combine(
                story.slot.starts_at.astimezone(ZONE).date() - timedelta(days=1), time(12), ZONE
            )
            in ticks
        )  # reminders


def test_steps_sent_at_once_touch_different_shifts_and_need_nothing_of_each_other(
    history: History,
) -> None:
    found = rounds(history.steps)
    assert Counter(s for r in found for c in r for s in c) == Counter(history.steps)
    assert len(found) < len(history.steps) // 2
    order = {id(step): n for n, step in enumerate(history.steps)}
    for round_ in found:
        steps = [s for chain in round_ for s in chain]
        assert "tick" not in {s.kind for s in steps} or round_ == [[steps[0]]]
        shifts = [{s.slot.key for s in chain if s.slot} for chain in round_]
        assert all(len(keys) <= 1 for keys in shifts)
        assert len([k for keys in shifts for k in keys]) == len({k for ks in shifts for k in ks})
        for chain in round_:
            assert [order[id(s)] for s in chain] == sorted(order[id(s)] for s in chain)
        # What a volunteer does on a shift never waits in the same round for something done
        # to them as a person (registered, ready to host), nor a registration for a campaign.
        for step in (s for s in steps if s.slot is not None):
            assert not any(
                p.slot is None and p.volunteer == step.volunteer and order[id(p)] < order[id(step)]
                for p in steps
            )
        campaigns = [order[id(s)] for s in steps if s.kind == "campaign"]
        assert all(
            order[id(s)] < min(campaigns, default=len(order)) for s in steps if s.kind == "register"
        )


def test_the_shifts_are_the_last_two_hours_of_the_programmes_meirope_evenings() -> None:
    for day in (date(2026, 11, 30) + timedelta(days=n) for n in range(7)):
        for slot in slots(day):
            if slot.role == "helper":
                assert (day.isoweekday(), slot.capacity) == (6, 3)
                continue
            branch = next(b for b in BRANCHES if b.branch_id == slot.branch_id)
            meirope = [
                o for o in branch.schedule().day_occurrences(day) if o.kind is OpeningKind.MEIROPE
            ][-1]
            assert day.isoweekday() in PROGRAMME[slot.branch_id]
            assert (slot.ends_at, slot.ends_at - slot.starts_at) == (meirope.ends, HOSTED)
