"""``tvers demo`` on a fresh data folder (issue 10, decision 0041): the time from the command's
start until the dashboard answers and its sign-in link is printed (the first sight, aimed at
30 s at most), and until the demo fill is done. The machine's load is given beside them: the
services start as processes of their own, so their start-up goes with the load of the machine.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.startup import start_tvers, stop_tvers, wait_for
from tvers_cli.demo.first_sight import FILLED, SIGN_IN_PATH

FIRST_SIGHT_AIM = 30.0


def demo_figures() -> list[dict[str, object]]:
    """Start ``tvers demo`` on a new data folder; the two times, from the command's start."""
    with tempfile.TemporaryDirectory(prefix="tvers-demo-") as folder:
        out = Path(folder) / "demo.out"
        started = time.perf_counter()
        process = start_tvers("demo", Path(folder) / "data", out)
        try:
            wait_for(process, out, f"{SIGN_IN_PATH}#token=", 120)
            shown = time.perf_counter() - started
            link = re.search(r"(http://\S+)/sign-in#token=", out.read_text(errors="replace"))
            assert link is not None
            answered = httpx.get(f"{link.group(1)}/healthz", timeout=10.0).is_success
            load = os.getloadavg()[0]
            wait_for(process, out, FILLED, 600)
            filled = time.perf_counter() - started
        finally:
            stop_tvers(process)
    return [
        {
            "name": "demo: time to dashboard (fresh data folder, sign-in link printed)",
            "seconds": round(shown, 1),
            "aim": FIRST_SIGHT_AIM,
            "met": answered and shown <= FIRST_SIGHT_AIM,
            "load_1m": round(load, 1),
        },
        {"name": "demo: time to fill done (fresh data folder)", "seconds": round(filled, 1)},
    ]
