"""Finding free TCP ports on the loopback interface.

A port found free is bound only later (a server starting takes seconds), so it is chosen where
nothing else will take it in between:

- **below the kernel's ephemeral range** (``net.ipv4.ip_local_port_range``, 32768-60999 by
  default), which every outgoing connection and every ``bind(0)`` draws from;
- **in a band of its own per pytest-xdist worker**, so that two test processes never hand out the
  same port;
- **never twice from one process.**
"""

from __future__ import annotations

import os
import random
import socket
from pathlib import Path

#: The lowest port handed out; below are the well-known and commonly configured ones.
LOWEST = 10_000
_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_DEFAULT_EPHEMERAL_LOW = 32_768
_MAX_WORKERS = 8
_handed_out: set[int] = set()


def free_port(host: str = "127.0.0.1") -> int:
    """A port that is free right now and that nothing else should take before it is bound."""
    band = port_band()
    for _ in range(1000):
        port = random.randrange(*band)  # noqa: S311 - a port, not a secret
        if port not in _handed_out and _bindable(port, host):
            _handed_out.add(port)
            return port
    raise OSError(f"no free port in {band[0]}-{band[1] - 1} on {host}")


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def _bindable(port: int, host: str) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def port_band() -> tuple[int, int]:
    """This process's ports: below the ephemeral range, and the worker's share of them."""
    try:
        top = int(_EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        top = _DEFAULT_EPHEMERAL_LOW
    top = max(top, LOWEST + 1000)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not worker[2:].isdigit():
        return LOWEST, top
    width = (top - LOWEST) // _MAX_WORKERS
    first = LOWEST + (int(worker[2:]) % _MAX_WORKERS) * width
    return first, first + width
