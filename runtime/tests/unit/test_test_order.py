"""The tests' order under xdist's worksteal: each group of tests that share an expensive fixture
starts at the front of a worker's share of its own, so two long groups run side by side."""

from tvers_runtime.testing.plugin import spread_groups


def group_of(name: str) -> str | None:
    return name.split(":", maxsplit=1)[0] if ":" in name else None


def test_a_second_group_starts_the_second_workers_share() -> None:
    items = ["e2e:a", "e2e:b", "demo:c", "slow1", "slow2", "t1", "t2", "t3", "t4", "t5"]
    ordered = spread_groups(items, 2, group_of)
    assert sorted(ordered) == sorted(items), "nothing lost, nothing twice"
    # Worksteal gives the first worker the first 5 and the second the other 5.
    assert ordered[:5] == ["e2e:a", "e2e:b", "slow1", "slow2", "t1"]
    assert ordered[5:] == ["demo:c", "t2", "t3", "t4", "t5"]


def test_one_worker_or_one_group_keeps_the_order() -> None:
    items = ["e2e:a", "demo:b", "t1", "t2"]
    assert spread_groups(items, 1, group_of) == items
    assert spread_groups(["e2e:a", "t1", "t2", "t3"], 2, group_of) == ["e2e:a", "t1", "t2", "t3"]


def test_more_groups_than_workers_share_the_last_workers_front() -> None:
    items = ["a:1", "b:2", "c:3", "t1", "t2", "t3"]
    ordered = spread_groups(items, 2, group_of)
    assert ordered == ["a:1", "t1", "t2", "b:2", "c:3", "t3"]
