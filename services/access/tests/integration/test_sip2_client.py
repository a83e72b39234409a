"""The SIP2 client against a library system it did not write (pysip2), and against hand-written
ones with the quirks of real library systems."""

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
import pytest_asyncio
from structlog.testing import capture_logs

from tvers_access.adapters.sip2 import Sip2Account, Sip2LibrarySystem, sip2_library_system
from tvers_access.domain.patron import LibrarySystemUnreachable, PatronStatus
from tvers_access.settings import AccessSettings
from tvers_access.testing.sip2_patrons import load_patrons
from tvers_access.testing.sip2_peer import Sip2Peer
from tvers_access.testing.sip2_proxy import FrameProxy
from tvers_access.testing.sip2_scripted import Quirks, ScriptedLibrarySystem

ADULT, ADULT_PIN = "1508000101", "2468"
BLOCKED, BLOCKED_PIN = "1508000201", "9999"
LOST, LOST_PIN = "1508000202", "1111"
NO_BIRTH_DATE, NO_BIRTH_DATE_PIN = "1508000301", "5555"
CHILD, CHILD_PIN = "1508000503", "1003"
UNKNOWN = "1508999999"
WELL = PatronStatus(known=True, pin_valid=True, blocked=False, birth_date=date(1979, 4, 12))
DIRECTORY = load_patrons()


def client_for(
    port: int, *, timeout: float = 5.0, pool_size: int = 4, password: str | None = None
) -> Sip2LibrarySystem:
    return Sip2LibrarySystem(
        host="127.0.0.1",
        port=port,
        account=Sip2Account(DIRECTORY.login_user, password or DIRECTORY.login_password),
        institution_id=DIRECTORY.institution_id,
        timeout=timeout,
        pool_size=pool_size,
    )


@pytest_asyncio.fixture
async def peer() -> AsyncIterator[Sip2Peer]:
    async with Sip2Peer() as running:
        yield running


@pytest_asyncio.fixture
async def client(peer: Sip2Peer) -> AsyncIterator[Sip2LibrarySystem]:
    library = client_for(peer.port)
    yield library
    await library.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# What pysip2 answers ----------------------------------------------------------------------------


async def test_a_valid_card_and_pin(client: Sip2LibrarySystem) -> None:
    assert await client.patron_status(ADULT, ADULT_PIN) == WELL


async def test_a_wrong_pin_of_a_known_card(client: Sip2LibrarySystem) -> None:
    assert await client.patron_status(ADULT, "0000") == PatronStatus(known=True, pin_valid=False)


async def test_a_wrong_pin_from_a_system_that_answers_bl_n_is_an_unknown_card() -> None:
    async with Sip2Peer(wrong_pin_as_unknown=True) as peer:
        library = client_for(peer.port)
        try:
            status = await library.patron_status(ADULT, "0000")
        finally:
            await library.close()
    assert status == PatronStatus(known=False, pin_valid=False)


async def test_an_empty_pin_is_sent_and_is_wrong(client: Sip2LibrarySystem) -> None:
    # pysip2 closes the connection on a 23 without AD: an empty AD must still be sent.
    assert await client.patron_status(ADULT, "") == PatronStatus(known=True, pin_valid=False)
    assert await client.patron_status(ADULT, ADULT_PIN) == WELL


async def test_an_unknown_card(client: Sip2LibrarySystem) -> None:
    assert await client.patron_status(UNKNOWN, "1234") == PatronStatus(known=False, pin_valid=False)


@pytest.mark.parametrize(("card", "pin"), [(BLOCKED, BLOCKED_PIN), (LOST, LOST_PIN)])
async def test_a_blocked_patron_shows_in_the_status_flags(
    client: Sip2LibrarySystem, card: str, pin: str
) -> None:
    status = await client.patron_status(card, pin)
    assert (status.known, status.pin_valid, status.blocked) == (True, True, True)


async def test_a_patron_without_a_birth_date_has_none(client: Sip2LibrarySystem) -> None:
    status = await client.patron_status(NO_BIRTH_DATE, NO_BIRTH_DATE_PIN)
    assert status == PatronStatus(known=True, pin_valid=True, birth_date=None)


async def test_a_childs_birth_date_comes_from_pb(client: Sip2LibrarySystem) -> None:
    status = await client.patron_status(CHILD, CHILD_PIN)
    assert status.birth_date == date(2016, 1, 25)


async def test_concurrent_calls_share_the_pool_and_each_gets_its_own_answer(
    peer: Sip2Peer,
) -> None:
    patrons = [(ADULT, ADULT_PIN), (ADULT, "0000"), (UNKNOWN, "1"), (BLOCKED, BLOCKED_PIN)] * 5
    async with FrameProxy(peer.port) as proxy:
        library = client_for(proxy.port, pool_size=3)
        try:
            answers = await asyncio.gather(
                *(library.patron_status(card, pin) for card, pin in patrons)
            )
        finally:
            await library.close()
    expected = [
        WELL,
        PatronStatus(known=True, pin_valid=False),
        PatronStatus(known=False, pin_valid=False),
        PatronStatus(known=True, pin_valid=True, blocked=True, birth_date=date(1985, 2, 27)),
    ] * 5
    assert answers == expected
    assert 1 <= proxy.connections <= 3
    assert proxy.passed.count(">93") == proxy.connections  # each connection logged in once


async def test_callers_waiting_for_a_connection_are_served_in_turn() -> None:
    answer = asyncio.Event()
    quirks = Quirks(answer_when=answer)
    async with ScriptedLibrarySystem(quirks) as held:
        library = client_for(held.port, pool_size=1)

        async def asks_twice() -> None:
            await library.patron_status(ADULT, ADULT_PIN)
            await library.patron_status(BLOCKED, BLOCKED_PIN)  # at once, behind those waiting

        try:
            first = asyncio.create_task(asks_twice())
            await quirks.asked.wait()
            waiting = [
                asyncio.create_task(library.patron_status(card, "1"))
                for card in (UNKNOWN, NO_BIRTH_DATE)
            ]
            for _ in range(5):
                await asyncio.sleep(0)  # both reach the pool and wait there
            answer.set()
            await asyncio.gather(first, *waiting)
        finally:
            await library.close()
    assert quirks.cards == [ADULT, UNKNOWN, NO_BIRTH_DATE, BLOCKED]


async def test_the_settings_make_a_client_with_the_password_from_a_file(
    peer: Sip2Peer, tmp_path: Path
) -> None:
    password_file = tmp_path / "sip2-password"
    password_file.write_text(DIRECTORY.login_password + "\n", encoding="utf-8")
    settings = AccessSettings(
        database_url="postgresql://unused/unused",
        sip2_port=peer.port,
        sip2_login_user=DIRECTORY.login_user,
        sip2_password_file=password_file,
        sip2_institution_id=DIRECTORY.institution_id,
        sip2_terminal_location="skodje",
        sip2_pool_size=2,
    )
    library = sip2_library_system(settings)
    try:
        assert await library.patron_status(ADULT, ADULT_PIN) == WELL
    finally:
        await library.close()


# When the library system cannot answer ----------------------------------------------------------


async def test_nothing_listening_is_unreachable() -> None:
    library = client_for(free_port())
    with pytest.raises(LibrarySystemUnreachable):
        await library.patron_status(ADULT, ADULT_PIN)


async def test_a_refused_login_is_unreachable(peer: Sip2Peer) -> None:
    library = client_for(peer.port, password="not-the-password")
    with capture_logs() as logs, pytest.raises(LibrarySystemUnreachable):
        await library.patron_status(ADULT, ADULT_PIN)
    assert any(entry["event"] == "sip2_login_refused" for entry in logs)


async def test_a_silent_server_hits_the_timeout() -> None:
    async with ScriptedLibrarySystem(Quirks(silent=True)) as silent:
        library = client_for(silent.port, timeout=0.3)
        with pytest.raises(LibrarySystemUnreachable, match="did not answer"):
            await library.patron_status(ADULT, ADULT_PIN)


async def test_a_slow_server_hits_the_timeout_and_the_next_call_works_once_it_answers() -> None:
    answer = asyncio.Event()
    async with ScriptedLibrarySystem(Quirks(answer_when=answer)) as slow:
        library = client_for(slow.port, timeout=1.0)
        try:
            with pytest.raises(LibrarySystemUnreachable, match="did not answer"):
                await library.patron_status(ADULT, ADULT_PIN)
            answer.set()
            assert await library.patron_status(ADULT, ADULT_PIN) == WELL
        finally:
            await library.close()
    # The late reply went with the dropped connection: the next call logged in afresh.
    assert slow.quirks.requests == ["93", "23", "93", "23"]


async def test_a_reply_with_a_wrong_checksum_is_asked_for_again(peer: Sip2Peer) -> None:
    async with FrameProxy(peer.port, damage_replies=1) as proxy:
        library = client_for(proxy.port)
        try:
            # Read unchecked, the damaged reply would have said "blocked".
            assert await library.patron_status(ADULT, ADULT_PIN) == WELL
        finally:
            await library.close()
    assert proxy.passed == [">93", "<94", ">23", "<24", ">97", "<24"]


async def test_replies_that_stay_damaged_are_unreachable(peer: Sip2Peer) -> None:
    async with FrameProxy(peer.port, damage_replies=1000) as proxy:
        library = client_for(proxy.port)
        with pytest.raises(LibrarySystemUnreachable, match="ChecksumMismatch"):
            await library.patron_status(ADULT, ADULT_PIN)
        await library.close()


async def test_the_peer_asks_for_a_damaged_request_again_and_gets_it(peer: Sip2Peer) -> None:
    async with FrameProxy(peer.port, damage_requests=1) as proxy:
        library = client_for(proxy.port)
        try:
            assert await library.patron_status(ADULT, ADULT_PIN) == WELL
        finally:
            await library.close()
    assert proxy.passed == [">93", "<94", ">23", "<96", ">23", "<24"]


async def test_a_request_damaged_twice_is_unreachable(peer: Sip2Peer) -> None:
    async with FrameProxy(peer.port, damage_requests=1000) as proxy:
        library = client_for(proxy.port)
        with pytest.raises(LibrarySystemUnreachable, match="could not read the request twice"):
            await library.patron_status(ADULT, ADULT_PIN)
        await library.close()


async def test_a_reply_to_another_request_is_refused() -> None:
    async with ScriptedLibrarySystem(Quirks(wrong_sequence=True)) as confused:
        library = client_for(confused.port)
        with pytest.raises(LibrarySystemUnreachable, match="sequence number"):
            await library.patron_status(ADULT, ADULT_PIN)
        await library.close()


async def test_the_client_reconnects_after_the_peer_restarts(
    peer: Sip2Peer, client: Sip2LibrarySystem
) -> None:
    assert await client.patron_status(ADULT, ADULT_PIN) == WELL
    await peer.stop()
    with pytest.raises(LibrarySystemUnreachable):
        await client.patron_status(ADULT, ADULT_PIN)
    await peer.start()
    assert await client.patron_status(ADULT, ADULT_PIN) == WELL


async def test_a_connection_the_peer_cut_is_replaced_on_the_next_call(peer: Sip2Peer) -> None:
    async with FrameProxy(peer.port) as proxy:
        library = client_for(proxy.port, pool_size=1)
        try:
            assert await library.patron_status(ADULT, ADULT_PIN) == WELL
            await proxy.stop()  # cuts the open connection, as a restarting system does
            await proxy.start()
            assert await library.patron_status(ADULT, ADULT_PIN) == WELL
        finally:
            await library.close()
    assert proxy.passed.count(">93") == 2


async def test_a_connection_dropped_as_the_request_arrives_is_replaced_within_the_call() -> None:
    quirks = Quirks(patron_replies_per_connection=1)
    async with ScriptedLibrarySystem(quirks) as dropping:
        library = client_for(dropping.port, pool_size=1)
        try:
            assert await library.patron_status(ADULT, ADULT_PIN) == WELL
            assert await library.patron_status(ADULT, ADULT_PIN) == WELL
        finally:
            await library.close()
    assert quirks.requests == ["93", "23", "23", "93", "23"]


async def test_a_closed_client_is_unreachable(client: Sip2LibrarySystem) -> None:
    assert await client.patron_status(ADULT, ADULT_PIN) == WELL
    await client.close()
    with pytest.raises(LibrarySystemUnreachable, match="closed"):
        await client.patron_status(ADULT, ADULT_PIN)


async def test_closing_the_client_ends_a_call_in_flight_without_reconnecting() -> None:
    answer = asyncio.Event()
    quirks = Quirks(answer_when=answer)
    async with ScriptedLibrarySystem(quirks) as held:
        library = client_for(held.port, timeout=30.0)
        answer.set()
        assert await library.patron_status(ADULT, ADULT_PIN) == WELL
        answer.clear()  # the next patron status request is never answered
        quirks.asked.clear()
        call = asyncio.create_task(library.patron_status(ADULT, ADULT_PIN))
        await quirks.asked.wait()
        await library.close()
        with pytest.raises(LibrarySystemUnreachable, match="client was closed"):
            await call
    assert quirks.requests == ["93", "23", "23"]


# Library systems that differ from pysip2 --------------------------------------------------------


@pytest.mark.parametrize(
    "quirks",
    [
        Quirks(line_end=b"\r\n"),
        Quirks(reversed_fields=True),
        Quirks(checksum=False),
        Quirks(line_end=b"\r\n", reversed_fields=True, checksum=False),
    ],
    ids=["cr-lf", "fields-in-another-order", "no-checksum", "all-at-once"],
)
async def test_a_library_system_with_quirks_is_understood_call_after_call(quirks: Quirks) -> None:
    async with ScriptedLibrarySystem(quirks) as quirky:
        library = client_for(quirky.port, pool_size=1, timeout=2.0)
        try:
            answers = [
                await library.patron_status(card, pin)
                for card, pin in [(ADULT, ADULT_PIN), (UNKNOWN, "1"), (BLOCKED, BLOCKED_PIN)] * 2
            ]
        finally:
            await library.close()
    # A client that read CR LF as the end of a reply would lose every second one and time out.
    assert (
        answers
        == [
            WELL,
            PatronStatus(known=False, pin_valid=False),
            PatronStatus(known=True, pin_valid=True, blocked=True, birth_date=date(1985, 2, 27)),
        ]
        * 2
    )


async def test_a_card_number_sip2_cannot_carry_is_an_unknown_card(
    client: Sip2LibrarySystem,
) -> None:
    assert await client.patron_status("1508|0001", "2468") == PatronStatus(
        known=False, pin_valid=False
    )


# Nothing tells the card number or the PIN --------------------------------------------------------


async def test_no_log_line_nor_exception_carries_the_card_number_or_pin(
    peer: Sip2Peer, caplog: pytest.LogCaptureFixture
) -> None:
    card, pin = ADULT, "73519"  # a PIN that appears nowhere else
    told: list[str] = []
    caplog.set_level(logging.DEBUG)
    with capture_logs() as logs:
        for port, damage in [(peer.port, 1000), (free_port(), 0)]:
            async with FrameProxy(port, damage_replies=damage) as proxy:
                library = client_for(proxy.port, timeout=1.0)
                with pytest.raises(LibrarySystemUnreachable) as failure:
                    await library.patron_status(card, pin)
                await library.close()
            error: BaseException | None = failure.value
            while error is not None:
                told += [str(error), repr(error)]
                error = error.__cause__ or error.__context__
        async with ScriptedLibrarySystem(Quirks(silent=True)) as silent:
            library = client_for(silent.port, timeout=0.2)
            with pytest.raises(LibrarySystemUnreachable) as failure:
                await library.patron_status(card, pin)
            told += [str(failure.value), repr(failure.value)]
        library = client_for(peer.port)
        await library.patron_status(card, pin)
        await library.patron_status("1508|0001", pin)
        await library.close()
    told += [repr(entry) for entry in logs] + [caplog.text]
    assert logs  # the failures were logged
    assert not [text for text in told if card in text or pin in text or "1508|0001" in text]
