"""The supervisor gives a service the settings it was asked to, and can stop one process for a
moment (the demo stops the library system's stand-in) and start it again."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rich.console import Console

from tvers_cli.backing import Backing
from tvers_cli.layout import SERVICES, DataDir, Ports
from tvers_cli.supervisor import Supervisor
from tvers_runtime.embedded import free_port
from tvers_volunteers.adapters.vault import MasterKeys


def supervisor(tmp_path: Path, **settings: dict[str, str]) -> Supervisor:
    data = DataDir(tmp_path)
    data.create()
    urls = {name: f"postgresql://{name}@127.0.0.1/{name}" for name in SERVICES}
    backing = Backing(urls, dict.fromkeys(SERVICES, "nats://127.0.0.1:1"), "nats://127.0.0.1:1")
    ports = Ports(library_system=free_port())
    return Supervisor(data, ports, "127.0.0.1", backing, Console(quiet=True), settings=settings)


def test_a_service_gets_the_settings_asked_for_it_and_no_other_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TVERS_SIP2_HOST", raising=False)
    running = supervisor(tmp_path, access={"TVERS_BACKFILL_DAYS": "366"})
    environments = {p.name: p.environment for p in running.processes}
    assert environments["access"]["TVERS_BACKFILL_DAYS"] == "366"
    assert environments["access"]["TVERS_HTTP_PORT"] == "8101"  # what tvers derives stays
    others = [env for name, env in environments.items() if name != "access"]
    assert all("TVERS_BACKFILL_DAYS" not in env for env in others)


def test_the_volunteers_service_gets_the_vault_master_key_made_once_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TVERS_SIP2_HOST", raising=False)
    environments = {p.name: p.environment for p in supervisor(tmp_path).processes}
    path = Path(environments["volunteers"]["TVERS_VAULT_MASTER_KEY_FILE"])
    assert path.parent == DataDir(tmp_path).secrets
    assert path.stat().st_mode & 0o777 == 0o600
    written = path.read_text(encoding="utf-8")
    MasterKeys.parse(written)
    restarted = {p.name: p.environment for p in supervisor(tmp_path).processes}
    assert restarted["volunteers"]["TVERS_VAULT_MASTER_KEY_FILE"] == str(path)
    assert path.read_text(encoding="utf-8") == written
    others = [env for name, env in environments.items() if name != "volunteers"]
    assert all("TVERS_VAULT_MASTER_KEY_FILE" not in env for env in others)


async def accepts(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


@pytest.mark.slow
async def test_a_process_stopped_for_a_moment_is_down_then_ready_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TVERS_SIP2_HOST", raising=False)
    running = supervisor(tmp_path)
    (peer,) = [p for p in running.processes if p.name == "library-system"]
    port = peer.tcp_port
    assert port is not None
    await peer.start()
    try:
        for _ in range(100):
            if await accepts(port):
                break
            await asyncio.sleep(0.1)
        async with running.stopped("library-system") as stopped:
            assert stopped
            assert not await accepts(port)
        assert await accepts(port)
        async with running.stopped("no-such-process") as stopped:
            assert not stopped
    finally:
        await running.stop_all()
