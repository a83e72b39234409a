"""The library system the doors ask over SIP2.

With ``TVERS_SIP2_HOST`` (and the other ``TVERS_SIP2_*`` settings of the access service) in the
environment of ``tvers up``, access asks that library system. Without it, ``tvers up`` runs the
SIP2 test peer (pysip2, from the access package) as a process of its own, with the demo's
patrons: a stand-in for Bibliofil that knows the demo's cards and PINs.

The stand-in's patrons file holds card numbers, as a library system does; it is the library
system's data, not this system's, so it is written to a private temporary folder that lives as
long as ``tvers up`` and never to the data folder (where no card number may be, in clear).
"""

from __future__ import annotations

import os
from pathlib import Path

from tvers_cli.demo.patrons import INSTITUTION_ID, LOGIN_USER, write_library_patrons
from tvers_cli.layout import DataDir, Ports

#: The environment variables that point access at an external library system.
EXTERNAL = "TVERS_SIP2_HOST"
PEER_MODULE = "tvers_access.testing.sip2_peer"


def external() -> bool:
    """Whether an external library system is configured."""
    return bool(os.environ.get(EXTERNAL))


def peer_arguments(data: DataDir, ports: Ports, host: str, folder: Path) -> list[str]:
    """Write the demo patrons into ``folder`` and give the test peer's command-line arguments."""
    patrons = folder / "patrons.json"
    write_library_patrons(patrons, data.secret("sip2.password"))
    return ["--host", host, "--port", str(ports.library_system), "--patrons", str(patrons)]


def access_environment(data: DataDir, ports: Ports, host: str) -> dict[str, str]:
    """What tells access where the library system is and how to log in."""
    if external():
        return {key: value for key, value in os.environ.items() if key.startswith("TVERS_SIP2_")}
    return {
        "TVERS_SIP2_HOST": host,
        "TVERS_SIP2_PORT": str(ports.library_system),
        "TVERS_SIP2_LOGIN_USER": LOGIN_USER,
        "TVERS_SIP2_PASSWORD_FILE": str(data.sip2_password_file),
        "TVERS_SIP2_INSTITUTION_ID": INSTITUTION_ID,
    }
