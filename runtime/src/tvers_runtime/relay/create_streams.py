"""Create every owning service's JetStream stream, once, before the services start.

``python -m tvers_runtime.relay.create_streams`` is what the Kubernetes Job of the same name runs
(``deploy/k8s/base/create-streams-job.yaml``). It reads ``TVERS_NATS_URL`` (an admin's URL, with
credentials) and ``TVERS_STREAM_REPLICAS`` from the environment, or from files in
``TVERS_SECRETS_DIR`` as the services do, and calls :func:`ensure_stream` for each service of
:data:`tvers_contracts.SERVICES`. A stream that exists is left as it is (running it again changes
nothing); its replica count is printed, so an operator sees a stream made with fewer replicas
than asked (``nats stream edit --replicas``).

It exits 0 when every stream exists, and 1 with one line naming the stream and the server's
reason otherwise (a Job then retries, up to its ``backoffLimit``).
"""

from __future__ import annotations

import asyncio
import sys

import nats
import nats.errors
from nats.js.errors import Error as JetStreamError
from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from tvers_contracts import SERVICES, stream_name
from tvers_runtime.relay.streams import StreamSettings, ensure_stream
from tvers_runtime.settings import load_settings

#: How long to wait for the server at each of a few tries to connect, a second apart (the Job
#: itself is retried by Kubernetes while NATS is not up yet).
CONNECT_TIMEOUT_SECONDS = 5
CONNECT_ATTEMPTS = 2
_FAILURES = (OSError, TimeoutError, nats.errors.Error, JetStreamError)


class StreamJobSettings(BaseSettings):
    """Where NATS is, and how many copies of each stream the cluster keeps."""

    model_config = SettingsConfigDict(env_prefix="TVERS_", extra="ignore")

    nats_url: SecretStr = Field(default=SecretStr("nats://127.0.0.1:4222"))
    stream_replicas: int = Field(default=1, ge=1, le=5)


class StreamsNotCreated(Exception):
    """A stream could not be created, or NATS could not be reached."""


async def create_streams(settings: StreamJobSettings) -> list[str]:
    """Ensure each owning service's stream; one line per stream saying what it has."""
    seen: list[Exception] = []

    async def keep(error: Exception) -> None:  # said once at the end, not once per try
        seen.append(error)

    try:
        client = await nats.connect(
            settings.nats_url.get_secret_value(),
            name="tvers-create-streams",
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            max_reconnect_attempts=CONNECT_ATTEMPTS,
            reconnect_time_wait=1,
            error_cb=keep,
        )
    except _FAILURES as error:
        last = f" (last: {_reason(seen[-1])})" if seen else ""
        raise StreamsNotCreated(f"cannot reach NATS: {_reason(error)}{last}") from error
    wanted = StreamSettings(replicas=settings.stream_replicas)
    lines: list[str] = []
    try:
        manager = client.jsm()
        for service in SERVICES:
            stream = stream_name(service)
            try:
                await ensure_stream(manager, service, wanted)
                info = await manager.stream_info(stream)
            except _FAILURES as error:
                raise StreamsNotCreated(
                    f"stream {stream} with {wanted.replicas} replica(s): {_reason(error)}"
                ) from error
            replicas = info.config.num_replicas
            note = "" if replicas == wanted.replicas else f" (asked for {wanted.replicas})"
            lines.append(f"{stream}: {replicas} replica(s){note}, {info.state.messages} messages")
    finally:
        await client.close()
    return lines


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__


def main() -> int:
    """Run it, print what each stream has, and return the exit status."""
    try:
        settings = load_settings(StreamJobSettings)
    except ValidationError as error:
        sys.stderr.write(f"create_streams: bad settings: {error}\n")
        return 1
    try:
        lines = asyncio.run(create_streams(settings))
    except StreamsNotCreated as error:
        sys.stderr.write(f"create_streams: failed: {error}\n")
        return 1
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
