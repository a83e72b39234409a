"""A branch's hosting rule: the default until staff set one, set only for a known branch, and a
rule set again as it is changes nothing."""

import pytest

from tvers_contracts.events.volunteers import HostingRuleSet
from tvers_runtime.domain import RuleViolated, UnknownReference
from tvers_volunteers.domain import hosting_rule
from tvers_volunteers.domain.proposals import DEFAULT_RULE, HostingRule
from tvers_volunteers.testing.domain import STAFF, fold

EVENINGS = HostingRule(last_minutes=180, hosts=3, minimum_hosts=2)


def test_a_branch_follows_the_default_rule_until_staff_set_one() -> None:
    assert fold(DEFAULT_RULE, [], hosting_rule.evolve) == HostingRule(120, 2, 2)
    events = hosting_rule.set_rule(
        DEFAULT_RULE, branch_id="skodje", branch_known=True, rule=EVENINGS, staff_id=STAFF
    )
    assert events == [
        HostingRuleSet(
            branch_id="skodje", last_minutes=180, hosts=3, minimum_hosts=2, staff_id=STAFF
        )
    ]
    assert fold(DEFAULT_RULE, events, hosting_rule.evolve) == EVENINGS
    assert hosting_rule.stream("1508", "skodje") == "hosting-rule-1508-skodje"


def test_the_rule_a_branch_has_already_changes_nothing() -> None:
    assert (
        hosting_rule.set_rule(
            EVENINGS, branch_id="skodje", branch_known=True, rule=EVENINGS, staff_id=STAFF
        )
        == []
    )


def test_a_rule_for_a_branch_not_known_here_is_refused() -> None:
    with pytest.raises(UnknownReference, match="no branch 'nowhere'"):
        hosting_rule.set_rule(
            DEFAULT_RULE, branch_id="nowhere", branch_known=False, rule=EVENINGS, staff_id=STAFF
        )


def test_a_whole_period_may_be_hosted_but_the_minimum_lies_within_the_hosts() -> None:
    assert HostingRule(last_minutes=None, hosts=1, minimum_hosts=1).last_minutes is None
    with pytest.raises(RuleViolated, match="minimum of hosts"):
        HostingRule(last_minutes=120, hosts=2, minimum_hosts=3)
