"""What a mail to a volunteer says, in nynorsk first and then in English, with the branch and the
shift's date and times on Oslo's wall clock (that every text is translated: test_catalogs.py)."""

from datetime import UTC, date, datetime

import pytest

from tvers_runtime.i18n import Locale
from tvers_volunteers.domain.notices import Notice
from tvers_volunteers.letters import Letter, compose
from tvers_volunteers.testing.domain import oslo

STARTS = oslo(date(2026, 12, 7), "18:00")
ENDS = oslo(date(2026, 12, 7), "20:00")


def letter(notice: Notice, *, starts_at: datetime = STARTS, ends_at: datetime = ENDS) -> Letter:
    return compose(notice, name="Synnøve", branch="Harøy", starts_at=starts_at, ends_at=ends_at)


def test_a_reminder_names_the_branch_the_date_and_the_times_in_nynorsk_then_english() -> None:
    reminder = letter(Notice.REMINDER)
    assert reminder.subject == "Påminning: vakta di på Harøy måndag 7. desember 2026"
    nynorsk, english = reminder.body.split("--- English ---")
    assert nynorsk.startswith("Hei, Synnøve!")
    assert "på Harøy måndag 7. desember 2026, frå 18:00 til 20:00." in nynorsk
    assert english.strip().startswith("Hello Synnøve,")
    # Babel (CLDR) puts a narrow no-break space before PM.
    assert "at Harøy on Monday, December 7, 2026, from 6:00\u202fPM to 8:00\u202fPM." in english


def test_times_are_told_on_oslo_wall_clock_whatever_zone_the_event_carries() -> None:
    in_utc = letter(
        Notice.REMINDER,
        starts_at=datetime(2026, 7, 1, 16, 0, tzinfo=UTC),  # 18:00 in Oslo, summer time
        ends_at=datetime(2026, 7, 1, 18, 0, tzinfo=UTC),
    )
    assert "onsdag 1. juli 2026, frå 18:00 til 20:00" in in_utc.body


def test_a_cancellation_tells_holders_they_need_not_come_and_waiters_their_waiting_ends() -> None:
    held = letter(Notice.CANCELLED_PLACE)
    waiting = letter(Notice.CANCELLED_WAITING)
    assert held.subject == "Avlyst: vakta di på Harøy måndag 7. desember 2026"
    assert "er avlyst" in held.body
    assert "du treng ikkje kome" in held.body
    assert "you need not come" in held.body
    assert waiting.subject == "Avlyst: vakta på Harøy måndag 7. desember 2026"
    assert "som du stod på venteliste til, er avlyst" in waiting.body
    assert "Your place on the waitlist ends with it." in waiting.body


@pytest.mark.parametrize("notice", list(Notice))
def test_every_letter_can_be_written_in_english_alone(notice: Notice) -> None:
    english = compose(
        notice, name="Ola", branch="Skodje", starts_at=STARTS, ends_at=ENDS, locales=[Locale.EN]
    )
    assert english.body.startswith("Hello Ola,")
    assert "---" not in english.body


def test_a_letter_never_shows_its_text_in_a_repr() -> None:
    assert "Synnøve" not in repr(letter(Notice.REMINDER))
