"""The SIP2 test peer: pysip2 with the fixture's patrons, as tests and the demo use it."""

import asyncio
import json
import signal
import sys
from datetime import date
from pathlib import Path

from pysip2 import LoginRequest, PatronInformationRequest, encode_message

from tvers_access.adapters.sip2 import Sip2Account, Sip2LibrarySystem
from tvers_access.adapters.sip2.flags import PatronFlag
from tvers_access.domain.patron import PatronStatus
from tvers_access.testing.sip2_patrons import DEFAULT_PATRONS, load_patrons
from tvers_access.testing.sip2_peer import Sip2Peer

DIRECTORY = load_patrons()


def test_the_fixture_has_the_patrons_the_tests_and_the_demo_need() -> None:
    patrons = list(DIRECTORY.patrons.values())
    roles = {patron.role for patron in patrons}
    assert {"adult", "blocked", "guardian", "child"} <= roles
    assert any(patron.birth_date is None for patron in patrons)
    assert any(PatronFlag.CARD_REPORTED_LOST in patron.flags for patron in patrons)
    children = [patron for patron in patrons if patron.role.startswith("child")]
    ages = {patron.birth_date.year for patron in children if patron.birth_date}
    assert len(ages) >= 3  # children of several ages
    for child in children:
        guardian = DIRECTORY.find(child.guardian or "")
        assert guardian is not None
        assert guardian.role == "guardian"


def test_the_fixture_names_nobody() -> None:
    document = json.loads(DEFAULT_PATRONS.read_text("utf-8"))
    keys = {key for patron in document["patrons"] for key in patron}
    assert keys <= {"card", "pin", "birth_date", "role", "flags", "guardian"}
    assert len({patron["card"] for patron in document["patrons"]}) == len(document["patrons"])


async def test_the_peer_closes_a_connection_that_did_not_log_in_first() -> None:
    async with Sip2Peer() as peer:
        reader, writer = await asyncio.open_connection("127.0.0.1", peer.port)
        writer.write(information_request("1508000503", "1003"))
        await writer.drain()
        assert await reader.read() == b""  # closed, unanswered
        writer.close()


async def test_the_peer_answers_patron_information_with_the_birth_date() -> None:
    async with Sip2Peer() as peer:
        reader, writer = await asyncio.open_connection("127.0.0.1", peer.port)
        login = LoginRequest(
            uid_algorithm="0",
            pwd_algorithm="0",
            login_user_id=DIRECTORY.login_user,
            login_password=DIRECTORY.login_password,
        )
        writer.write(encode_message(login))
        assert await reader.readuntil(b"\r") == b"941\r"
        writer.write(information_request("1508000503", "1003"))
        reply = await reader.readuntil(b"\r")
        writer.close()
    assert reply.startswith(b"64")
    assert b"|BLY|CQY|" in reply
    assert b"|PB20160125|" in reply


async def test_the_peer_runs_as_a_process_with_a_patrons_file(tmp_path: Path) -> None:
    patrons = tmp_path / "patrons.json"
    patrons.write_text(
        json.dumps(
            {
                "institution_id": "demo",
                "login": {"user": "door", "password": "door-password"},
                "patrons": [{"card": "42424242", "pin": "4242", "birth_date": "2001-02-03"}],
            }
        ),
        encoding="utf-8",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tvers_access.testing.sip2_peer",
        "--port",
        "0",
        "--patrons",
        str(patrons),
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        port = int((await process.stdout.readline()).decode().rsplit(":", 1)[1])
        library = Sip2LibrarySystem(
            host="127.0.0.1",
            port=port,
            account=Sip2Account("door", "door-password"),
            institution_id="demo",
        )
        status = await library.patron_status("42424242", "4242")
        await library.close()
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = await process.wait()
    assert status == PatronStatus(known=True, pin_valid=True, birth_date=date(2001, 2, 3))
    assert returncode == 0


def information_request(card: str, pin: str) -> bytes:
    return encode_message(
        PatronInformationRequest(
            language="000",
            transaction_date="20260105    120000",
            summary=" " * 10,
            institution_id=DIRECTORY.institution_id,
            patron_identifier=card,
            patron_password=pin,
        )
    )
