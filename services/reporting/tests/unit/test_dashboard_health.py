"""How up to date the figures are, said in words per source: nothing to say when all is well,
and never a sequence number."""

from tvers_reporting.entrypoints.dashboard import texts
from tvers_reporting.entrypoints.dashboard.health import (
    SMALL_LAG,
    Level,
    Progress,
    SourceHealth,
    health,
)
from tvers_runtime.projection.status import SourceState


def view(
    state: SourceState = SourceState.FOLLOWING, lag: int = 0, applied: int = 100, dead: int = 0
) -> SourceHealth:
    return SourceHealth(state=state, lag=lag, applied=applied, dead_letters=dead)


def test_all_following_with_a_few_events_arriving_is_well() -> None:
    said = health({"ACCESS": [view(lag=3), view()], "VISITS": [view(SourceState.STANDBY)]})
    assert said.well
    assert said.progress is None


def test_a_stopped_source_is_a_problem_for_it_departments_named_by_its_strand() -> None:
    said = health({"ACCESS": [view(), view(SourceState.STOPPED)]})
    [notice] = said.notices
    assert (notice.level, notice.message, notice.strand) == (
        Level.PROBLEM,
        texts.STOPPED,
        texts.STRANDS["ACCESS"],
    )


def test_a_source_trying_again_says_it_does_so_by_itself() -> None:
    said = health({"VOLUNTEERS": [view(SourceState.RECOVERING)]})
    assert [n.message for n in said.notices] == [texts.RETRYING]


def test_catching_up_tells_how_many_events_wait_and_how_far_it_has_come() -> None:
    said = health({"ACCESS": [view(lag=SMALL_LAG + 950, applied=3000), view(lag=10, applied=3940)]})
    [notice] = said.notices
    assert notice.message == texts.CATCHING_UP
    assert notice.values == {"waiting": SMALL_LAG + 950}
    assert said.progress == Progress(counted=3000, total=3000 + SMALL_LAG + 950)


def test_events_not_counted_are_told_per_source_and_summed() -> None:
    said = health({"VISITS": [view(dead=2), view(dead=1)], "DESK": [view()]})
    [notice] = said.notices
    assert (notice.level, notice.message, notice.values) == (
        Level.PROBLEM,
        texts.NOT_READ,
        {"count": 3},
    )
    assert notice.strand == texts.STRANDS["VISITS"]
