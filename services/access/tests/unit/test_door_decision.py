"""The decision at the door: every reason, the ages, the guardian window and the fallback for
an unreachable library system."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tvers_access.domain import agreement, branch
from tvers_access.domain.agreement import Agreement, Standing
from tvers_access.domain.entry import (
    UNREACHABLE,
    Decision,
    LibraryAnswer,
    age_on,
    decide_entry,
    needs_library_check,
)
from tvers_access.domain.patron import PatronStatus
from tvers_access.domain.rules import AccessRules, set_rules
from tvers_access.door_panel import panel_message
from tvers_contracts.events.access import (
    AgreementRestored,
    AgreementSigned,
    AgreementSuspended,
    AgreementWithdrawn,
    BranchRegistered,
    DenialReason,
    EntryDenied,
    EntryGranted,
    SchedulePeriod,
    SuspensionReason,
    UnreachablePolicy,
    WeeklyScheduleSet,
)
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_runtime.i18n import Locale

OSLO = ZoneInfo("Europe/Oslo")
REF = "0123456789abcdef0123456789abcdef"
GUARDIAN = "fedcba9876543210fedcba9876543210"
EVENING = datetime(2026, 11, 23, 20, 0, tzinfo=OSLO)  # a Monday, in meirope hours
TODAY = EVENING.date()
VALID = PatronStatus(known=True, pin_valid=True)  # card and PIN right; no birth date sent
SIGNED = Agreement(standing=Standing.IN_FORCE)
RULES = AccessRules(meirope_min_age=15, unaccompanied_min_age=12)


def scheduled(rules: AccessRules = RULES) -> branch.Branch:
    state = branch.evolve(
        branch.NO_BRANCH, BranchRegistered(branch_id="skodje", name="Skodje", meirope_min_age=15)
    )
    state = branch.evolve(
        state,
        WeeklyScheduleSet(
            branch_id="skodje",
            periods=[
                SchedulePeriod(weekday=1, starts=time(10), ends=time(15), kind=OpeningKind.STAFFED),
                SchedulePeriod(weekday=1, starts=time(15), ends=time(22), kind=OpeningKind.MEIROPE),
            ],
        ),
    )
    return replace(state, rules=rules)


def decide(
    signed: Agreement = SIGNED,
    library: LibraryAnswer = VALID,
    *,
    moment: datetime = EVENING,
    rules: AccessRules = RULES,
    guardian_entries: tuple[datetime, ...] = (),
) -> Decision:
    return decide_entry(
        door_id="skodje-hovuddor",
        branch=scheduled(rules),
        agreement=signed,
        patron_ref=REF,
        local_time=moment,
        library=library,
        guardian_entries=guardian_entries,
    )


def reason(decision: Decision) -> DenialReason:
    assert isinstance(decision.event, EntryDenied)
    return decision.event.reason


def born_years_ago(years: int, *, days_later: int = 0) -> date:
    """A birth date making someone ``years`` old on TODAY (turning older ``days_later``)."""
    return TODAY.replace(year=TODAY.year - years) + timedelta(days=days_later)


def child(years: int, **changes: object) -> Agreement:
    return replace(
        SIGNED,
        guardian_consent=True,
        guardian_ref=GUARDIAN,
        birth_date=born_years_ago(years),
        **changes,  # type: ignore[arg-type]
    )


def test_an_adult_with_an_agreement_and_the_right_pin_comes_in() -> None:
    decision = decide()
    assert decision.granted
    assert isinstance(decision.event, EntryGranted)
    assert decision.event.opening is OpeningKind.MEIROPE
    assert decision.event.verified


@pytest.mark.parametrize(
    ("library", "expected"),
    [
        (PatronStatus(known=False, pin_valid=False), DenialReason.UNKNOWN_CARD),
        (PatronStatus(known=True, pin_valid=False), DenialReason.WRONG_PIN),
        (PatronStatus(known=True, pin_valid=True, blocked=True), DenialReason.BLOCKED_CARD),
    ],
)
def test_the_library_systems_answer_can_keep_the_door_shut(
    library: PatronStatus, expected: DenialReason
) -> None:
    assert reason(decide(library=library)) is expected


def test_outside_the_schedule_nobody_comes_in() -> None:
    assert reason(decide(moment=EVENING.replace(hour=23))) is DenialReason.OUTSIDE_MEIROPE_HOURS


def test_in_staffed_hours_everyone_comes_in_without_asking_the_library_system() -> None:
    afternoon = EVENING.replace(hour=11)
    assert not needs_library_check(scheduled(), afternoon)
    decision = decide(agreement.NO_AGREEMENT, None, moment=afternoon)
    assert decision.granted
    assert decision.event.opening is OpeningKind.STAFFED


def test_meirope_hours_need_the_library_systems_answer() -> None:
    assert needs_library_check(scheduled(), EVENING)
    with pytest.raises(ValueError, match="must be asked"):
        decide(library=None)


def test_without_an_agreement_the_door_stays_shut() -> None:
    assert reason(decide(agreement.NO_AGREEMENT)) is DenialReason.NO_AGREEMENT


def test_a_withdrawn_agreement_is_no_agreement() -> None:
    withdrawn = agreement.evolve(SIGNED, AgreementWithdrawn(patron_ref=REF))
    assert reason(decide(withdrawn)) is DenialReason.NO_AGREEMENT


def test_a_suspended_agreement_keeps_the_door_shut_until_restored() -> None:
    suspended = agreement.evolve(
        SIGNED, AgreementSuspended(patron_ref=REF, reason=SuspensionReason.LET_OTHERS_IN)
    )
    assert reason(decide(suspended)) is DenialReason.SUSPENDED
    restored = agreement.evolve(suspended, AgreementRestored(patron_ref=REF))
    assert decide(restored).granted


def test_an_unreachable_library_system_keeps_the_door_shut_by_default() -> None:
    assert reason(decide(library=UNREACHABLE)) is DenialReason.LIBRARY_SYSTEM_UNREACHABLE


def test_a_branch_may_let_agreement_holders_in_while_the_library_system_is_unreachable() -> None:
    lenient = replace(RULES, when_unreachable=UnreachablePolicy.AGREEMENT_HOLDERS)
    decision = decide(library=UNREACHABLE, rules=lenient)
    assert isinstance(decision.event, EntryGranted)
    assert not decision.event.verified
    assert reason(decide(agreement.NO_AGREEMENT, UNREACHABLE, rules=lenient)) is (
        DenialReason.NO_AGREEMENT
    )


def test_below_the_meirope_age_the_agreement_needs_a_guardians_consent() -> None:
    young = replace(SIGNED, birth_date=born_years_ago(14))
    assert reason(decide(young)) is DenialReason.UNDER_AGE
    assert decide(replace(young, guardian_consent=True)).granted


def test_the_meirope_age_is_reached_on_the_birthday() -> None:
    turns_15_today = replace(SIGNED, birth_date=born_years_ago(15))
    turns_15_tomorrow = replace(SIGNED, birth_date=born_years_ago(15, days_later=1))
    assert decide(turns_15_today).granted
    assert reason(decide(turns_15_tomorrow)) is DenialReason.UNDER_AGE


def test_the_library_systems_birth_date_goes_before_the_agreements() -> None:
    says_adult_on_paper = replace(SIGNED, birth_date=date(1980, 1, 1))
    ils_says_14 = PatronStatus(known=True, pin_valid=True, birth_date=born_years_ago(14))
    assert reason(decide(says_adult_on_paper, ils_says_14)) is DenialReason.UNDER_AGE


def test_the_agreements_birth_date_counts_when_the_library_system_sends_none() -> None:
    no_pb = PatronStatus(known=True, pin_valid=True)
    assert reason(decide(replace(SIGNED, birth_date=born_years_ago(13)), no_pb)) is (
        DenialReason.UNDER_AGE
    )


def test_a_patron_of_unknown_age_is_taken_as_staff_found_them_when_signing() -> None:
    assert decide(SIGNED, VALID).granted


def test_an_adult_by_the_library_systems_birth_date_needs_no_guardian() -> None:
    adult = PatronStatus(known=True, pin_valid=True, birth_date=date(1980, 5, 17))
    assert decide(child(10), adult).granted


def test_a_young_child_is_let_in_just_inside_the_guardian_window() -> None:
    just_inside = EVENING - timedelta(seconds=60)
    decision = decide(child(10), guardian_entries=(just_inside,))
    assert decision.granted


def test_a_young_child_is_refused_just_outside_the_guardian_window() -> None:
    just_outside = EVENING - timedelta(seconds=61)
    decision = decide(child(10), guardian_entries=(just_outside,))
    assert reason(decision) is DenialReason.UNDER_AGE
    assert decision.needs_guardian


def test_a_guardian_entry_after_the_childs_does_not_count() -> None:
    later = EVENING + timedelta(seconds=1)
    assert not decide(child(10), guardian_entries=(later,)).granted


def test_the_guardian_window_is_the_branchs_own() -> None:
    wide = replace(RULES, guardian_window=timedelta(seconds=120))
    assert decide(
        child(10), guardian_entries=(EVENING - timedelta(seconds=90),), rules=wide
    ).granted


def test_the_guardian_window_spans_midnight() -> None:
    after_midnight = datetime(2026, 11, 24, 0, 0, 20, tzinfo=OSLO)
    rules = replace(RULES)
    night = replace(
        scheduled(rules),
        periods=(
            SchedulePeriod(weekday=2, starts=time(0), ends=time(6), kind=OpeningKind.MEIROPE),
        ),
    )
    decision = decide_entry(
        door_id="skodje-hovuddor",
        branch=night,
        agreement=child(10),
        patron_ref=REF,
        local_time=after_midnight,
        library=VALID,
        guardian_entries=(after_midnight - timedelta(seconds=40),),
    )
    assert decision.granted


def test_a_child_at_or_above_the_unaccompanied_age_needs_no_guardian_at_the_door() -> None:
    assert decide(child(12)).granted


def test_born_on_29_february_turns_older_on_1_march() -> None:
    leapling = date(2008, 2, 29)
    assert age_on(leapling, date(2026, 2, 28)) == 17
    assert age_on(leapling, date(2026, 3, 1)) == 18


def test_the_panel_speaks_nynorsk_and_english() -> None:
    refused = decide(library=PatronStatus(known=True, pin_valid=False))
    assert panel_message(refused, Locale.NN) == "Feil PIN-kode. Prøv igjen."
    assert panel_message(refused, Locale.EN) == "Wrong PIN. Try again."
    needs_guardian = decide(child(10))
    assert panel_message(needs_guardian, Locale.NN) == "Du må gå inn saman med føresette."
    assert panel_message(decide(), Locale.NN) == "Velkomen inn!"


def test_every_denial_reason_has_a_panel_message_in_both_locales() -> None:
    for denial in DenialReason:
        decision = Decision(
            EntryDenied(
                door_id="d",
                branch_id="b",
                patron_ref=REF,
                opening=OpeningKind.MEIROPE,
                reason=denial,
            )
        )
        nynorsk, english = panel_message(decision, Locale.NN), panel_message(decision, Locale.EN)
        assert nynorsk
        assert english
        assert nynorsk != english


def test_an_agreement_is_signed_once_but_again_after_a_withdrawal() -> None:
    with pytest.raises(Conflict):
        agreement.sign(SIGNED, patron_ref=REF, guardian_consent=False, today=TODAY)
    withdrawn = agreement.evolve(SIGNED, AgreementWithdrawn(patron_ref=REF))
    events = agreement.sign(withdrawn, patron_ref=REF, guardian_consent=False, today=TODAY)
    assert isinstance(events[0], AgreementSigned)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_date": date(2026, 11, 24)}, "birth_date"),
        ({"birth_date": date(1890, 1, 1)}, "birth_date"),
        ({"guardian_ref": GUARDIAN}, "guardian's consent"),
        ({"guardian_ref": REF, "guardian_consent": True}, "own guardian"),
    ],
)
def test_an_agreement_with_impossible_details_is_refused(
    changes: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"patron_ref": REF, "guardian_consent": False, "today": TODAY}
    with pytest.raises(RuleViolated, match=message):
        agreement.sign(agreement.NO_AGREEMENT, **{**arguments, **changes})  # type: ignore[arg-type]


def test_suspend_restore_and_withdraw_need_an_agreement_in_the_right_state() -> None:
    with pytest.raises(NotFound):
        agreement.suspend(agreement.NO_AGREEMENT, patron_ref=REF, reason=SuspensionReason.OTHER)
    suspended = agreement.evolve(
        SIGNED, AgreementSuspended(patron_ref=REF, reason=SuspensionReason.DAMAGE)
    )
    assert suspended.suspension is SuspensionReason.DAMAGE
    with pytest.raises(Conflict):
        agreement.suspend(suspended, patron_ref=REF, reason=SuspensionReason.OTHER)
    with pytest.raises(Conflict):
        agreement.restore(SIGNED, patron_ref=REF)
    with pytest.raises(NotFound):
        agreement.withdraw(agreement.NO_AGREEMENT, patron_ref=REF)


def test_the_unaccompanied_age_cannot_exceed_the_meirope_age() -> None:
    with pytest.raises(RuleViolated, match="unaccompanied"):
        set_rules("skodje", AccessRules(meirope_min_age=12, unaccompanied_min_age=15))
    with pytest.raises(NotFound):
        set_rules(None, RULES)
