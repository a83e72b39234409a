"""The requests the door sends over SIP2: their layout, trailer and what they refuse to carry."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pysip2 import LoginRequest, PatronStatusRequest, decode_as, verify_checksum

from tvers_access.adapters.sip2.messages import (
    UnsendableValue,
    login_request,
    patron_status_request,
    resend_request,
    transaction_date,
)

OSLO = ZoneInfo("Europe/Oslo")
CARD, PIN = "N0012345678", "4321"


def status_request(card: str = CARD, pin: str = PIN, terminal_password: str = "") -> bytes:
    return patron_status_request(
        institution_id="aalesund",
        card_number=card,
        pin=pin,
        terminal_password=terminal_password,
        at=datetime(2026, 3, 29, 1, 30, 5, tzinfo=UTC).astimezone(OSLO),
        encoding="cp850",
    ).frame(3)


def test_the_transaction_date_has_18_characters_with_a_blank_zone() -> None:
    at = datetime(2026, 7, 1, 9, 5, 7, tzinfo=OSLO)
    assert transaction_date(at) == "20260701    090507"
    assert len(transaction_date(at)) == 18


def test_a_patron_status_request_is_a_2_00_message_23_with_every_field_in_place() -> None:
    frame = status_request()
    # Oslo is on summer time at 01:30:05 UTC on 29 March 2026: 03:30:05 local.
    assert frame.startswith(b"2300020260329    033005AOaalesund|AAN0012345678|AC|AD4321|AY3AZ")
    assert frame.endswith(b"\r")
    assert not frame.endswith(b"\r\n")


def test_a_patron_status_request_carries_ac_and_ad_even_when_empty() -> None:
    frame = status_request(pin="")
    assert b"|AC|AD|AY3AZ" in frame


def test_a_patron_status_request_is_read_by_a_sip2_server_codec_with_its_checksum() -> None:
    frame = status_request(terminal_password="terminal")
    assert verify_checksum(frame[:-1])
    decoded = decode_as(frame, PatronStatusRequest)
    assert decoded.sequence_number == 3
    assert decoded.message.patron_identifier == CARD
    assert decoded.message.patron_password == PIN
    assert decoded.message.terminal_password == "terminal"
    assert decoded.message.institution_id == "aalesund"


def test_a_login_request_carries_user_password_and_location() -> None:
    frame = login_request("door", "secret", "skodje", encoding="cp850").frame(0)
    assert frame.startswith(b"9300CNdoor|COsecret|CPskodje|AY0AZ")
    decoded = decode_as(frame, LoginRequest)
    assert (decoded.message.login_user_id, decoded.message.login_password) == ("door", "secret")
    assert decoded.message.location_code == "skodje"


def test_a_login_request_without_a_location_has_no_cp() -> None:
    frame = login_request("door", "secret", None, encoding="cp850").frame(1)
    assert frame.startswith(b"9300CNdoor|COsecret|AY1AZ")


def test_the_sequence_number_is_one_digit_and_wraps() -> None:
    request = login_request("door", "secret", None, encoding="cp850")
    assert b"AY9AZ" in request.frame(9)
    assert b"AY0AZ" in request.frame(10)
    assert request.frame(2) != request.frame(3)


def test_the_request_for_a_resend_is_a_checksummed_97() -> None:
    assert resend_request() == b"97AZFEF5\r"


@pytest.mark.parametrize(
    ("card", "pin"),
    [
        ("N00|123", PIN),
        (CARD, "43|21"),
        (CARD, "43\r21"),
        ("N00\n123", PIN),
        (CARD, "4€21"),  # not in cp850
        (CARD, "9" * 300),  # longer than a field can be
    ],
)
def test_a_value_a_frame_cannot_carry_is_refused_without_showing_it(card: str, pin: str) -> None:
    with pytest.raises(UnsendableValue) as refused:
        status_request(card, pin)
    assert card not in str(refused.value)
    assert pin not in str(refused.value)
    # No chained exception (a codec's message quotes what it could not encode) comes along.
    assert refused.value.__cause__ is None
    assert refused.value.__context__ is None or refused.value.__suppress_context__


def test_a_request_shows_neither_card_nor_pin() -> None:
    request = patron_status_request(
        institution_id="aalesund",
        card_number=CARD,
        pin=PIN,
        terminal_password="",
        at=datetime(2026, 1, 5, 12, tzinfo=OSLO),
        encoding="cp850",
    )
    assert CARD not in repr(request)
    assert PIN not in repr(request)
