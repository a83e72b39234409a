"""Mail from the services (decision 0024).

With ``TVERS_SMTP_HOST`` (and the other ``TVERS_SMTP_*`` settings of the volunteers service) in
the environment of ``tvers up``, the volunteers service sends through that server. Without it,
``tvers up`` runs a local SMTP sink that delivers nothing (aiosmtpd, in this process) and points
the volunteers service at it: each mail lands as a file in a maildir, to be read with any mail
client or text editor.

The maildir is in a private temporary folder that lives as long as ``tvers up``, never in the
data folder: mail holds volunteers' names and addresses in clear, and the data folder holds none
(after an erasure nothing of a person may be read there). The folder is printed at start.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tvers_cli.layout import Ports
from tvers_runtime.embedded.mail_sink import maildir_sink

#: The environment variable that points the volunteers service at an external SMTP server.
EXTERNAL = "TVERS_SMTP_HOST"
#: The From address of mail caught by the local sink.
SINK_SENDER = "Bibliotekvenn <bibliotekvenn@localhost>"


def external() -> bool:
    """Whether an external SMTP server is configured."""
    return bool(os.environ.get(EXTERNAL))


def volunteers_environment(ports: Ports, host: str) -> dict[str, str]:
    """What tells the volunteers service where to send its mail."""
    if external():
        return {key: value for key, value in os.environ.items() if key.startswith("TVERS_SMTP_")}
    return {
        "TVERS_SMTP_HOST": host,
        "TVERS_SMTP_PORT": str(ports.mail),
        "TVERS_SMTP_STARTTLS": "false",
        "TVERS_SMTP_SENDER": SINK_SENDER,
    }


@contextlib.contextmanager
def local_sink(ports: Ports, host: str) -> Iterator[Path | None]:
    """Run the local sink (none with an external server) for as long as the block lasts; yields
    its maildir."""
    if external():
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="tvers-mail-") as folder:
        maildir = Path(folder) / "maildir"
        with maildir_sink(maildir, host=host, port=ports.mail):
            yield maildir
