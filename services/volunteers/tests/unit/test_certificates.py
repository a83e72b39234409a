"""A certificate states the hours a volunteer served in a period of Oslo dates that has ended,
at most five years long: spans count by the Oslo date of their check-in, for their real length
across midnight and both daylight-saving changes, each moment once; only a registered volunteer
whose data is not erased gets one, and only for a period with hours in it."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tvers_contracts.events.volunteers import CertificateIssued, CertificateLocale
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_volunteers.domain import volunteer
from tvers_volunteers.domain.certificates import Period, ServedSpan, TimeServed, issue, served_in
from tvers_volunteers.testing.domain import STAFF, fold, id_of, oslo, registered

TODAY = date(2026, 12, 1)
SPRING = Period(date(2026, 1, 1), date(2026, 6, 30))


def span(
    day: date,
    start: str,
    end: str,
    branch: str = "skodje",
    *,
    end_day: date | None = None,
    fold: int = 0,
) -> ServedSpan:
    return ServedSpan(branch, oslo(day, start), oslo(end_day or day, end, fold=fold))


# The period


def test_a_period_of_one_day_is_a_period() -> None:
    assert Period.ended_by(TODAY, TODAY, today=TODAY) == Period(TODAY, TODAY)


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(RuleViolated, match="end before it starts"):
        Period(date(2026, 6, 30), date(2026, 1, 1))


def test_a_period_ending_after_today_in_oslo_is_refused() -> None:
    with pytest.raises(RuleViolated, match="cannot end after today"):
        Period.ended_by(date(2026, 1, 1), TODAY + timedelta(days=1), today=TODAY)


def test_a_period_is_at_most_five_years_long() -> None:
    longest = Period(date(2024, 1, 1), date(2028, 12, 31))
    assert (longest.last - longest.first).days + 1 == 1827  # two leap days
    with pytest.raises(RuleViolated, match="at most 5 years"):
        Period(date(2024, 1, 1), date(2029, 1, 1))


def test_five_years_from_a_leap_day_end_on_the_last_day_of_february() -> None:
    Period(date(2024, 2, 29), date(2029, 2, 28))
    with pytest.raises(RuleViolated, match="at most 5 years"):
        Period(date(2024, 2, 29), date(2029, 3, 1))


# The hours and branches


def test_the_minutes_and_branches_add_up_over_the_spans_in_the_period() -> None:
    served = [
        span(date(2026, 2, 3), "18:00", "20:00", "skodje"),
        span(date(2026, 3, 10), "18:00", "20:30", "brattvag"),
        span(date(2026, 5, 5), "19:00", "21:00", "skodje"),
    ]
    assert served_in(SPRING, served) == TimeServed(390, ("brattvag", "skodje"))


def test_spans_outside_the_period_and_spans_of_no_time_are_left_out() -> None:
    served = [
        span(date(2025, 12, 31), "18:00", "20:00", "haroy"),
        span(date(2026, 7, 1), "18:00", "20:00", "sjoholt"),
        span(date(2026, 2, 3), "18:00", "18:00", "alesund-sentrum"),  # did not attend
        span(date(2026, 2, 4), "18:00", "19:00", "skodje"),
    ]
    assert served_in(SPRING, served) == TimeServed(60, ("skodje",))


def test_a_span_counts_by_the_oslo_date_of_its_check_in_whole_across_midnight() -> None:
    late = span(date(2026, 6, 30), "23:00", "01:00", end_day=date(2026, 7, 1))
    early = span(date(2026, 1, 1), "00:00", "00:30")
    before = span(date(2025, 12, 31), "23:59", "02:00", end_day=date(2026, 1, 1))
    assert served_in(SPRING, [late, early, before]) == TimeServed(150, ("skodje",))


def test_the_oslo_date_decides_not_the_utc_date() -> None:
    # 22:30 UTC on 30 June is 00:30 on 1 July in Oslo (summer time, UTC+2): after the period.
    july = ServedSpan(
        "skodje", datetime(2026, 6, 30, 22, 30, tzinfo=UTC), datetime(2026, 7, 1, 0, 30, tzinfo=UTC)
    )
    # 23:30 UTC on 31 December is 00:30 on 1 January in Oslo (UTC+1): in the period.
    new_year = ServedSpan(
        "brattvag",
        datetime(2025, 12, 31, 23, 30, tzinfo=UTC),
        datetime(2026, 1, 1, 1, 0, tzinfo=UTC),
    )
    assert served_in(SPRING, [july, new_year]) == TimeServed(90, ("brattvag",))


def test_the_spring_forward_night_does_not_count_the_hour_the_clock_skips() -> None:
    # 29 March 2026: 02:00 becomes 03:00. From 01:30 to 03:30 on the wall clock is one hour.
    assert served_in(SPRING, [span(date(2026, 3, 29), "01:30", "03:30")]).minutes == 60


def test_the_fall_back_night_counts_the_hour_the_clock_repeats() -> None:
    # 25 October 2026: 03:00 becomes 02:00. From 01:30 to the second 02:30 is two hours.
    autumn = Period(date(2026, 10, 1), date(2026, 10, 31))
    repeated = span(date(2026, 10, 25), "01:30", "02:30", fold=1)
    assert served_in(autumn, [repeated]).minutes == 120


def test_time_in_spans_that_overlap_counts_once() -> None:
    served = [
        span(date(2026, 2, 3), "18:00", "20:00", "skodje"),
        span(date(2026, 2, 3), "19:30", "21:00", "brattvag"),  # as staff corrected it
        span(date(2026, 2, 3), "18:30", "19:00", "skodje"),  # within the first
    ]
    assert served_in(SPRING, served) == TimeServed(180, ("brattvag", "skodje"))


def test_minutes_are_rounded_down_to_whole_minutes() -> None:
    checked_in = oslo(date(2026, 2, 3), "18:00")
    served = [
        ServedSpan("skodje", checked_in, checked_in + timedelta(minutes=59, seconds=59)),
        ServedSpan("skodje", checked_in + timedelta(hours=1), checked_in + timedelta(hours=2)),
    ]
    assert served_in(SPRING, served).minutes == 119


def test_a_span_in_naive_times_or_ending_before_it_starts_is_not_a_span() -> None:
    with pytest.raises(ValueError, match="aware"):
        ServedSpan("skodje", datetime(2026, 2, 3, 18), datetime(2026, 2, 3, 20))
    with pytest.raises(ValueError, match="before its check-in"):
        span(date(2026, 2, 3), "20:00", "18:00")


# Issuing


def test_a_certificate_states_the_period_minutes_branches_issuer_and_language() -> None:
    who = registered(today=TODAY, vgs_student=True)
    served = [
        span(date(2026, 2, 3), "18:00", "20:30", "skodje"),
        span(date(2026, 4, 1), "17:00", "19:00", "brattvag"),
    ]
    [event] = issue(
        who,
        period=SPRING,
        served=served,
        issued_by=STAFF,
        locale=CertificateLocale.NN,
        today=TODAY,
    )
    assert event == CertificateIssued(
        volunteer_id=id_of(who),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 6, 30),
        minutes_served=270,
        branches=["brattvag", "skodje"],
        issued_by=STAFF,
        locale=CertificateLocale.NN,
    )


def test_a_volunteer_may_issue_their_own_certificate() -> None:
    [event] = issue(
        registered(today=TODAY),
        period=SPRING,
        served=[span(date(2026, 2, 3), "18:00", "20:00")],
        issued_by=None,
        locale=CertificateLocale.EN,
        today=TODAY,
    )
    assert isinstance(event, CertificateIssued)
    assert (event.issued_by, event.locale) == (None, CertificateLocale.EN)


def test_a_deactivated_volunteer_still_gets_a_certificate_of_the_hours_they_served() -> None:
    who = registered(today=TODAY)
    who = fold(who, volunteer.deactivate(who, staff_id=STAFF), volunteer.evolve)
    events = issue(
        who,
        period=SPRING,
        served=[span(date(2026, 2, 3), "18:00", "20:00")],
        issued_by=STAFF,
        locale=CertificateLocale.NN,
        today=TODAY,
    )
    assert len(events) == 1


def test_a_period_with_no_hours_is_refused_with_the_dates() -> None:
    with pytest.raises(Conflict, match="no hours were served from 2026-01-01 to 2026-06-30"):
        issue(
            registered(today=TODAY),
            period=SPRING,
            served=[span(date(2026, 7, 1), "18:00", "20:00")],
            issued_by=STAFF,
            locale=CertificateLocale.NN,
            today=TODAY,
        )


def test_an_unknown_volunteer_gets_no_certificate() -> None:
    with pytest.raises(NotFound, match="no such volunteer"):
        issue(
            volunteer.NO_VOLUNTEER,
            period=SPRING,
            served=[span(date(2026, 2, 3), "18:00", "20:00")],
            issued_by=STAFF,
            locale=CertificateLocale.NN,
            today=TODAY,
        )


def test_an_erased_volunteer_gets_no_certificate_for_there_is_no_name_to_print() -> None:
    who = registered(today=TODAY)
    who = fold(who, volunteer.erase(who), volunteer.evolve)
    with pytest.raises(NotFound, match="erased"):
        issue(
            who,
            period=SPRING,
            served=[span(date(2026, 2, 3), "18:00", "20:00")],
            issued_by=STAFF,
            locale=CertificateLocale.NN,
            today=TODAY,
        )


def test_a_period_that_has_not_ended_is_refused_when_issuing() -> None:
    with pytest.raises(RuleViolated, match="cannot end after today"):
        issue(
            registered(today=TODAY),
            period=Period(date(2026, 11, 1), TODAY + timedelta(days=1)),
            served=[span(date(2026, 11, 3), "18:00", "20:00")],
            issued_by=STAFF,
            locale=CertificateLocale.NN,
            today=TODAY,
        )
