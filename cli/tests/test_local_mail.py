"""Mail under ``tvers up``: the volunteers service is pointed at a local SMTP sink that keeps what
it gets in a maildir outside the data folder for as long as tvers runs, or at an external SMTP
server given in the environment."""

from __future__ import annotations

import email
import email.policy
import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest
from rich.console import Console

from tvers_cli import mail
from tvers_cli.backing import Backing
from tvers_cli.layout import SERVICES, DataDir, Ports
from tvers_cli.supervisor import Supervisor
from tvers_runtime.embedded import free_port


def environments(tmp_path: Path, ports: Ports) -> dict[str, dict[str, str]]:
    data = DataDir(tmp_path / "data")
    data.create()
    urls = {name: f"postgresql://{name}@127.0.0.1/{name}" for name in SERVICES}
    backing = Backing(urls, dict.fromkeys(SERVICES, "nats://127.0.0.1:1"), "nats://127.0.0.1:1")
    running = Supervisor(data, ports, "127.0.0.1", backing, Console(quiet=True))
    return {p.name: p.environment for p in running.processes}


@pytest.fixture
def no_external_server(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TVERS_SIP2_HOST", "TVERS_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)


def test_the_volunteers_service_sends_to_the_local_sink_and_no_other_service_sends_mail(
    tmp_path: Path, no_external_server: None
) -> None:
    ports = Ports(library_system=free_port(), mail=free_port())
    found = environments(tmp_path, ports)
    volunteers = found["volunteers"]
    assert volunteers["TVERS_SMTP_HOST"] == "127.0.0.1"
    assert volunteers["TVERS_SMTP_PORT"] == str(ports.mail)
    assert volunteers["TVERS_SMTP_STARTTLS"] == "false"
    assert volunteers["TVERS_SMTP_SENDER"]
    others = [env for name, env in found.items() if name != "volunteers"]
    assert all(not any(key.startswith("TVERS_SMTP_") for key in env) for env in others)


def test_an_external_smtp_server_in_the_environment_is_used_and_no_sink_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TVERS_SIP2_HOST", raising=False)
    external = {
        "TVERS_SMTP_HOST": "smtp.alesund.example",
        "TVERS_SMTP_SENDER": "Bibliotekvenn <bibliotekvenn@alesund.example>",
        "TVERS_SMTP_USERNAME": "bibliotekvenn",
        "TVERS_SMTP_PASSWORD_FILE": "/run/secrets/smtp",
    }
    for name, value in external.items():
        monkeypatch.setenv(name, value)
    volunteers = environments(tmp_path, Ports(library_system=free_port()))["volunteers"]
    assert {k: v for k, v in volunteers.items() if k.startswith("TVERS_SMTP_")} == external
    with mail.local_sink(Ports(), "127.0.0.1") as maildir:
        assert maildir is None


def test_the_local_sink_keeps_mail_in_a_maildir_outside_the_data_folder_until_it_stops(
    tmp_path: Path, no_external_server: None
) -> None:
    ports = Ports(mail=free_port())
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@localhost", "b@example.no", "Påminning"
    message.set_content("Hei!")
    with mail.local_sink(ports, "127.0.0.1") as maildir:
        assert maildir is not None
        assert not maildir.is_relative_to(tmp_path)
        with smtplib.SMTP("127.0.0.1", ports.mail, timeout=5) as smtp:
            smtp.send_message(message)
        [kept] = [path.read_bytes() for path in (maildir / "new").iterdir()]
        parsed = email.message_from_bytes(kept, policy=email.policy.default)
        assert parsed["Subject"] == "Påminning"
    assert not maildir.exists()
