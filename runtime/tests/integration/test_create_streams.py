"""The stream-creating entry point the Kubernetes Job runs
(``python -m tvers_runtime.relay.create_streams``), against a real NATS JetStream server."""

import os
import subprocess
import sys
from pathlib import Path

import nats
import pytest

from tvers_contracts import SERVICES, stream_name
from tvers_runtime.embedded.ports import free_port
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
MODULE = "tvers_runtime.relay.create_streams"


def run_job(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("TVERS_")}
    return subprocess.run(
        [sys.executable, "-m", MODULE],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def stream_replicas(url: str) -> dict[str, int]:
    client = await nats.connect(url)
    try:
        return {
            info.config.name or "": info.config.num_replicas or 0
            for info in await client.jsm().streams_info()
        }
    finally:
        await client.close()


async def test_it_creates_every_owning_services_stream_and_a_second_run_changes_nothing(
    nats_server: NatsUnderTest,
) -> None:
    environment = {"TVERS_NATS_URL": nats_server.url, "TVERS_STREAM_REPLICAS": "1"}

    first = run_job(environment)
    assert first.returncode == 0, first.stderr
    created = await stream_replicas(nats_server.url)
    second = run_job(environment)

    assert second.returncode == 0, second.stderr
    assert created == {stream_name(service): 1 for service in SERVICES}
    assert await stream_replicas(nats_server.url) == created
    for service in SERVICES:
        assert f"{stream_name(service)}: 1 replica(s), 0 messages" in second.stdout


async def test_it_reads_the_nats_url_from_the_secrets_folder(
    nats_server: NatsUnderTest, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "TVERS_NATS_URL").write_text(nats_server.url, encoding="utf-8")

    result = run_job({"TVERS_SECRETS_DIR": str(secrets)})

    assert result.returncode == 0, result.stderr
    assert set(await stream_replicas(nats_server.url)) == {stream_name(s) for s in SERVICES}


async def test_more_replicas_than_the_server_can_keep_fail_with_the_streams_name(
    nats_server: NatsUnderTest,
) -> None:
    result = run_job({"TVERS_NATS_URL": nats_server.url, "TVERS_STREAM_REPLICAS": "3"})

    assert result.returncode == 1
    assert f"create_streams: failed: stream {stream_name(SERVICES[0])} with 3 replica(s)" in (
        result.stderr
    )
    assert await stream_replicas(nats_server.url) == {}


def test_an_unreachable_server_fails_with_one_clear_line() -> None:
    result = run_job({"TVERS_NATS_URL": f"nats://127.0.0.1:{free_port()}"})

    assert result.returncode == 1
    assert "create_streams: failed: cannot reach NATS" in result.stderr
    assert "Traceback" not in result.stderr
