"""Theme days: planned at a known branch or a named place within the planning window, changed
or cancelled while planned, and recorded as held on or after their day with participants from
registered schools."""

from collections.abc import Callable
from datetime import date, time, timedelta
from functools import reduce
from uuid import UUID, uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import (
    SchoolParticipants,
    ThemeDayCancelled,
    ThemeDayChanged,
    ThemeDayHeld,
    ThemeDayPlanned,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference
from tvers_visits.domain import theme_day
from tvers_visits.domain.theme_day import Arrangement, Stage, ThemeDays

TODAY = date(2026, 9, 1)
DAY = Arrangement(
    topic="Lesestimulering",
    day=date(2026, 10, 20),
    branch_id="alesund-sentrum",
    starts_at=time(9),
    ends_at=time(15),
)
CAME = [SchoolParticipants(school_id="aspoy-skule", participants=2)]


def apply(days: ThemeDays, events: list[DomainEvent]) -> ThemeDays:
    return reduce(theme_day.evolve, events, days)


def planned(arrangement: Arrangement = DAY) -> tuple[ThemeDays, UUID]:
    theme_day_id = uuid4()
    events = theme_day.plan(
        theme_day.NO_THEME_DAYS,
        theme_day_id=theme_day_id,
        arrangement=arrangement,
        today=TODAY,
        branch_known=True,
    )
    return apply(theme_day.NO_THEME_DAYS, events), theme_day_id


def held() -> tuple[ThemeDays, UUID]:
    days, theme_day_id = planned()
    events = theme_day.record_held(
        days, theme_day_id=theme_day_id, participants=CAME, today=DAY.day, unknown_schools=[]
    )
    return apply(days, events), theme_day_id


def cancelled() -> tuple[ThemeDays, UUID]:
    days, theme_day_id = planned()
    return apply(days, theme_day.cancel(days, theme_day_id=theme_day_id)), theme_day_id


def test_a_planned_theme_day_has_its_topic_day_place_and_times() -> None:
    days, theme_day_id = planned()
    assert days.days[theme_day_id].arrangement == DAY
    assert days.days[theme_day_id].stage is Stage.PLANNED


def test_a_theme_day_may_be_at_a_named_place_without_times() -> None:
    elsewhere = Arrangement("Lesestimulering", date(2026, 10, 20), place="Kulturhuset, sal 2")
    days, theme_day_id = planned(elsewhere)
    assert days.days[theme_day_id].arrangement.place == "Kulturhuset, sal 2"


@pytest.mark.parametrize(
    ("arrangement", "says"),
    [
        (Arrangement("Lesing", DAY.day), "name one of them"),
        (Arrangement("Lesing", DAY.day, "alesund-sentrum", "Kulturhuset"), "name one of them"),
        (Arrangement("Lesing", DAY.day, "alesund-sentrum", None, time(9)), "or neither"),
        (
            Arrangement("Lesing", DAY.day, "alesund-sentrum", None, time(15), time(9)),
            "ends after it starts",
        ),
        (Arrangement("Lesing", TODAY + timedelta(days=401), "alesund-sentrum"), "not on 2027"),
        (Arrangement("Lesing", TODAY - timedelta(days=367), "alesund-sentrum"), "not on 2025"),
    ],
)
def test_a_theme_day_is_somewhere_in_a_span_of_time_within_the_planning_window(
    arrangement: Arrangement, says: str
) -> None:
    with pytest.raises(RuleViolated, match=says):
        planned(arrangement)


def test_a_theme_day_may_be_planned_after_the_fact_within_a_year() -> None:
    last_year = Arrangement("Lesing", TODAY - timedelta(days=366), "alesund-sentrum")
    days, theme_day_id = planned(last_year)
    assert days.days[theme_day_id].arrangement.day == date(2025, 8, 31)


def test_a_theme_day_at_an_unknown_branch_is_refused() -> None:
    with pytest.raises(UnknownReference, match="no branch 'alesund-sentrum' is known"):
        theme_day.plan(
            theme_day.NO_THEME_DAYS,
            theme_day_id=uuid4(),
            arrangement=DAY,
            today=TODAY,
            branch_known=False,
        )


def test_a_planned_theme_day_is_changed_and_the_same_again_changes_nothing() -> None:
    days, theme_day_id = planned()
    moved = Arrangement("Lesestimulering", date(2026, 10, 27), "alesund-sentrum")
    (event,) = theme_day.change(
        days, theme_day_id=theme_day_id, arrangement=moved, today=TODAY, branch_known=True
    )
    assert isinstance(event, ThemeDayChanged)
    assert apply(days, [event]).days[theme_day_id].arrangement == moved
    same = theme_day.change(
        days, theme_day_id=theme_day_id, arrangement=DAY, today=TODAY, branch_known=True
    )
    assert same == []


def test_a_change_that_keeps_the_day_needs_no_planning_window() -> None:
    days, theme_day_id = planned()
    later = DAY.day + timedelta(days=500)
    renamed = Arrangement("Lesestimulering og skriving", DAY.day, "alesund-sentrum")
    assert theme_day.change(
        days, theme_day_id=theme_day_id, arrangement=renamed, today=later, branch_known=True
    )


@pytest.mark.parametrize("made", [held, cancelled], ids=["held", "cancelled"])
def test_a_held_or_cancelled_theme_day_is_not_changed_cancelled_or_held_again(
    made: Callable[[], tuple[ThemeDays, UUID]],
) -> None:
    days, theme_day_id = made()
    with pytest.raises(Conflict, match="it cannot be changed"):
        theme_day.change(
            days, theme_day_id=theme_day_id, arrangement=DAY, today=TODAY, branch_known=True
        )
    with pytest.raises(Conflict, match="it cannot be cancelled"):
        theme_day.cancel(days, theme_day_id=theme_day_id)
    with pytest.raises(Conflict, match="it cannot be recorded as held"):
        theme_day.record_held(
            days, theme_day_id=theme_day_id, participants=CAME, today=DAY.day, unknown_schools=[]
        )


def test_a_cancelled_theme_day_is_cancelled() -> None:
    days, theme_day_id = planned()
    (event,) = theme_day.cancel(days, theme_day_id=theme_day_id)
    assert isinstance(event, ThemeDayCancelled)
    assert cancelled()[0].days  # kept, as cancelled
    state, cancelled_id = cancelled()
    assert state.days[cancelled_id].stage is Stage.CANCELLED


def test_a_held_theme_day_keeps_its_participants_per_school() -> None:
    days, theme_day_id = held()
    assert days.days[theme_day_id].stage is Stage.HELD
    assert days.days[theme_day_id].participants == tuple(CAME)


def test_a_theme_day_is_not_held_before_its_day() -> None:
    days, theme_day_id = planned()
    with pytest.raises(RuleViolated, match="before its day"):
        theme_day.record_held(
            days,
            theme_day_id=theme_day_id,
            participants=CAME,
            today=DAY.day - timedelta(days=1),
            unknown_schools=[],
        )
    (event,) = theme_day.record_held(
        days,
        theme_day_id=theme_day_id,
        participants=CAME,
        today=DAY.day + timedelta(days=3),
        unknown_schools=[],
    )
    assert isinstance(event, ThemeDayHeld)


def test_participants_come_from_registered_schools() -> None:
    days, theme_day_id = planned()
    with pytest.raises(UnknownReference, match="no school 'nowhere-skule' is registered"):
        theme_day.record_held(
            days,
            theme_day_id=theme_day_id,
            participants=[SchoolParticipants(school_id="nowhere-skule", participants=1)],
            today=DAY.day,
            unknown_schools=["nowhere-skule"],
        )


def test_an_unknown_theme_day_is_not_found() -> None:
    days, _ = planned()
    with pytest.raises(NotFound):
        theme_day.cancel(days, theme_day_id=uuid4())


def test_a_theme_day_is_planned_once() -> None:
    days, theme_day_id = planned()
    with pytest.raises(Conflict, match="already planned"):
        theme_day.plan(
            days, theme_day_id=theme_day_id, arrangement=DAY, today=TODAY, branch_known=True
        )


def test_the_stream_keeps_a_bounded_number_of_theme_days() -> None:
    full = ThemeDays(
        {
            key: theme_day.ThemeDay(key, DAY)
            for key in (uuid4() for _ in range(theme_day.MOST_THEME_DAYS))
        }
    )
    with pytest.raises(Conflict, match="full"):
        theme_day.plan(full, theme_day_id=uuid4(), arrangement=DAY, today=TODAY, branch_known=True)


def test_a_planned_event_carries_the_arrangement() -> None:
    (event,) = theme_day.plan(
        theme_day.NO_THEME_DAYS,
        theme_day_id=uuid4(),
        arrangement=DAY,
        today=TODAY,
        branch_known=True,
    )
    assert isinstance(event, ThemeDayPlanned)
    assert (event.topic, event.day, event.starts_at) == ("Lesestimulering", DAY.day, time(9))


@pytest.mark.parametrize(
    ("participants", "says"),
    [([], "name the schools"), (CAME + CAME, "each school once")],
    ids=["none", "twice"],
)
def test_a_held_theme_day_names_each_school_that_took_part_once(
    participants: list[SchoolParticipants], says: str
) -> None:
    days, theme_day_id = planned()
    with pytest.raises(RuleViolated, match=says):
        theme_day.record_held(
            days,
            theme_day_id=theme_day_id,
            participants=participants,
            today=DAY.day,
            unknown_schools=[],
        )
