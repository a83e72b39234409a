"""What ``tvers demo`` shows first, and the pace of ``--live`` (decision 0041): the sign-in link
carries the viewer's token in its fragment; live arrivals follow a day compressed, busy after
work and quiet in the morning, never still at night; they go to the doors open now mostly."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from tvers_cli.demo.arrivals import open_at
from tvers_cli.demo.first_sight import sign_in_link
from tvers_cli.demo.live_pace import FEWEST_PER_SECOND, SPEED, LivePace, door_for
from tvers_cli.demo.places import BRANCHES, ZONE

MONDAY = datetime(2026, 11, 30, tzinfo=ZONE)


def test_the_sign_in_link_carries_the_token_in_its_fragment_never_in_the_query() -> None:
    link = urlsplit(sign_in_link("http://127.0.0.1:8100", "abc.def-ghi_jkl"))
    assert (link.scheme, link.netloc, link.path) == ("http", "127.0.0.1:8100", "/sign-in")
    assert link.query == ""
    assert link.fragment == "token=abc.def-ghi_jkl"


def arrivals_per_second(start: datetime, seconds: int = 2000) -> float:
    pace, rng = LivePace(start), random.Random(1)
    return sum(pace.arrivals_in_second(0, rng) for _ in range(seconds)) / seconds


def test_live_arrivals_follow_the_hours_of_a_day_and_never_stop_at_night() -> None:
    morning = arrivals_per_second(MONDAY.replace(hour=7))
    evening = arrivals_per_second(MONDAY.replace(hour=17))
    night = arrivals_per_second(MONDAY.replace(hour=3))
    assert evening > 2 * morning > 0
    assert night >= FEWEST_PER_SECOND * 0.8


def test_the_simulated_day_runs_faster_than_the_clock() -> None:
    pace = LivePace(MONDAY.replace(hour=6))
    assert pace.simulated(20) == MONDAY.replace(hour=6) + timedelta(seconds=20 * SPEED)
    assert pace.simulated(20) - pace.simulated(0) >= timedelta(hours=1)


def test_live_arrivals_go_to_branches_open_now_mostly_and_to_closed_ones_now_and_then() -> None:
    now = MONDAY.replace(hour=8, minute=30)  # four of the seven branches open
    open_now = {b.branch_id for b in BRANCHES if open_at(b, now)}
    assert open_now
    assert len(open_now) < len(BRANCHES)
    rng = random.Random(2)
    drawn = Counter(door_for(BRANCHES, now, rng).branch_id in open_now for _ in range(2000))
    assert drawn[True] > 2 * drawn[False] > 0
