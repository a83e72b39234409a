"""Reading the library system's replies, as the systems in use send them."""

from datetime import date

import pytest
from pysip2 import calculate_checksum

from tvers_access.adapters.sip2.flags import PatronFlag, flags_set, status_field
from tvers_access.adapters.sip2.replies import (
    ChecksumMismatch,
    MalformedReply,
    birth_date,
    flags,
    login_accepted,
    parse_reply,
    patron_status,
)
from tvers_access.domain.patron import PatronStatus

CARD = "N0012345678"
BLANK = " " * 14
DATE = "20260105    120000"


def frame(body: str, *, sequence: int | None = 1, checksum: bool = True, end: str = "\r") -> bytes:
    data = body.encode("cp850")
    if checksum:
        data += (f"AY{sequence}AZ" if sequence is not None else "AZ").encode()
        data += calculate_checksum(data).encode()
    return data + end.encode()


def status_reply(fields: str, flags_field: str = BLANK, **options: object) -> bytes:
    return frame(f"24{flags_field}000{DATE}{fields}", **options)  # type: ignore[arg-type]


def read(data: bytes) -> PatronStatus:
    return patron_status(parse_reply(data, encoding="cp850"))


def test_a_valid_card_and_pin() -> None:
    data = status_reply(f"AOaalesund|AA{CARD}|AE|BLY|CQY|PB19800214|")
    assert read(data) == PatronStatus(
        known=True, pin_valid=True, blocked=False, birth_date=date(1980, 2, 14)
    )


def test_fields_are_read_by_tag_in_any_order() -> None:
    data = status_reply(f"PB19800214|CQY|AFWelcome|AA{CARD}|BLY|AE|AOaalesund|")
    assert read(data) == PatronStatus(known=True, pin_valid=True, birth_date=date(1980, 2, 14))


@pytest.mark.parametrize("end", ["\r", "\r\n", ""])
def test_a_reply_may_end_with_cr_or_cr_lf(end: str) -> None:
    assert read(status_reply(f"AA{CARD}|BLY|CQY|", end=end)).pin_valid


def test_the_lf_of_a_previous_cr_lf_reply_is_not_part_of_the_next() -> None:
    assert read(b"\n" + status_reply(f"AA{CARD}|BLY|CQY|")).pin_valid


def test_a_reply_without_checksum_is_accepted() -> None:
    reply = parse_reply(status_reply(f"AA{CARD}|BLY|CQY|", checksum=False), encoding="cp850")
    assert reply.sequence is None
    assert patron_status(reply).known


def test_the_sequence_number_is_read_from_the_trailer() -> None:
    assert parse_reply(status_reply("BLY|CQY|", sequence=7), encoding="cp850").sequence == 7


def test_a_reply_without_a_delimiter_before_its_trailer_is_read() -> None:
    assert read(status_reply("AOaalesund|BLY|CQY")).pin_valid


def test_a_wrong_checksum_is_detected() -> None:
    data = bytearray(status_reply(f"AA{CARD}|BLY|CQY|"))
    data[data.index(b"CQY") + 2] = ord("N")  # damaged on the way: the checksum no longer fits
    with pytest.raises(ChecksumMismatch) as mismatch:
        parse_reply(bytes(data), encoding="cp850")
    assert CARD not in str(mismatch.value)


def test_wrong_pin_as_a_known_card_with_a_wrong_pin() -> None:
    assert read(status_reply(f"AA{CARD}|BLY|CQN|")) == PatronStatus(known=True, pin_valid=False)


def test_wrong_pin_as_bl_n_and_cq_n_is_an_unknown_card() -> None:
    assert read(status_reply(f"AA{CARD}|BLN|CQN|")) == PatronStatus(known=False, pin_valid=False)


def test_an_unknown_card_never_has_a_valid_pin() -> None:
    assert read(status_reply(f"AA{CARD}|BLN|CQY|")) == PatronStatus(known=False, pin_valid=False)


def test_without_bl_a_right_pin_means_a_known_card() -> None:
    assert read(status_reply(f"AA{CARD}|CQY|")) == PatronStatus(known=True, pin_valid=True)
    assert read(status_reply(f"AA{CARD}|")) == PatronStatus(known=False, pin_valid=False)


def test_without_cq_the_pin_is_not_confirmed() -> None:
    assert read(status_reply(f"AA{CARD}|BLY|")) == PatronStatus(known=True, pin_valid=False)


def test_blank_flags_are_spaces_and_block_nothing() -> None:
    assert not read(status_reply("BLY|CQY|", flags_field=BLANK)).blocked


def test_flags_sent_as_n_block_nothing() -> None:
    assert not read(status_reply("BLY|CQY|", flags_field="N" * 14)).blocked


@pytest.mark.parametrize("flag", list(PatronFlag))
def test_each_patron_status_flag_blocks_the_card(flag: PatronFlag) -> None:
    field = status_field(frozenset({flag}))
    reply = parse_reply(status_reply("BLY|CQY|", flags_field=field), encoding="cp850")
    assert flags(reply) == {flag}
    assert patron_status(reply) == PatronStatus(known=True, pin_valid=True, blocked=True)


def test_the_status_field_and_the_flags_it_sets_agree() -> None:
    chosen = frozenset({PatronFlag.CHARGE_PRIVILEGES_DENIED, PatronFlag.TOO_MANY_ITEMS_BILLED})
    assert status_field(chosen) == "Y            Y"
    assert flags_set(status_field(chosen)) == chosen
    assert flags_set("y" + " " * 13) == {PatronFlag.CHARGE_PRIVILEGES_DENIED}
    assert flags_set("Y") == {PatronFlag.CHARGE_PRIVILEGES_DENIED}  # a short field sets no more


def test_a_reply_without_pb_has_no_birth_date() -> None:
    assert read(status_reply(f"AA{CARD}|BLY|CQY|")).birth_date is None


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        ("20110314", date(2011, 3, 14)),
        ("20110314    000000", date(2011, 3, 14)),
        ("2011-03-14", date(2011, 3, 14)),
        ("2011-03-14T00:00:00", date(2011, 3, 14)),
        ("14.03.2011", date(2011, 3, 14)),
        (" 20110314 ", date(2011, 3, 14)),
        ("", None),
        ("   ", None),
        ("20111332", None),
        ("03/14/2011", None),
        ("unknown", None),
        (None, None),
    ],
)
def test_the_birth_date_is_read_leniently(sent: str | None, meant: date | None) -> None:
    assert birth_date(sent) == meant


def test_a_login_reply_says_whether_the_login_was_accepted() -> None:
    assert login_accepted(parse_reply(frame("941"), encoding="cp850"))
    assert not login_accepted(parse_reply(frame("940", checksum=False), encoding="cp850"))


def test_a_resend_request_is_read() -> None:
    assert parse_reply(frame("96", sequence=None), encoding="cp850").command == "96"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (frame(f"24{BLANK}000"), "shorter than its fixed fields"),
        (frame("98YYYNYN"), "unexpected reply command: 98"),
        (frame(f"{CARD}|BLY|"), "unexpected reply command: an unreadable one"),
        (frame(""), "unexpected reply command"),
        (frame(f"24{BLANK}000{DATE}AA{CARD}|B|"), "a field without a tag"),
        (frame(f"24{BLANK}000{DATE}AA{CARD}\rBLY|", checksum=False), "carriage return"),
    ],
)
def test_a_malformed_reply_is_refused_without_quoting_it(data: bytes, problem: str) -> None:
    with pytest.raises(MalformedReply, match=problem) as refused:
        parse_reply(data, encoding="cp850")
    assert CARD not in str(refused.value)


def test_a_reply_does_not_show_the_card_number() -> None:
    assert CARD not in repr(parse_reply(status_reply(f"AA{CARD}|BLY|"), encoding="cp850"))
