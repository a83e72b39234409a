"""Cold start of ``tvers up`` to every service ready, and the memory of the whole running system
(NATS, PostgreSQL and every service) at rest and during the demo fill.

Memory is summed over the process tree of the ``tvers`` command. Resident set sizes double-count
what processes share (PostgreSQL's shared buffers appear in every backend), so the proportional
set size (PSS, shared pages divided among their users) is reported too: that is what the system
really takes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from tvers_cli.demo.first_sight import FILLED
from tvers_runtime.embedded import free_port

SERVICES = ("reporting", "access", "volunteers", "visits")


def start_tvers(command: str, data_dir: Path, output: Path) -> subprocess.Popen[bytes]:
    arguments = [sys.executable, "-m", "tvers_cli", command, "--data-dir", str(data_dir)]
    for name in (*SERVICES, "postgres", "nats", "nats-monitoring", "library-system", "mail"):
        arguments += [f"--{name}-port", str(free_port())]
    with output.open("wb") as out:
        return subprocess.Popen(
            arguments, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "200"}
        )


def wait_for(process: subprocess.Popen[bytes], output: Path, text: str, timeout: float) -> float:
    started = time.perf_counter()
    while text not in output.read_text(errors="replace"):
        if process.poll() is not None or time.perf_counter() - started > timeout:
            raise RuntimeError(output.read_text(errors="replace"))
        time.sleep(0.02)
    return time.perf_counter() - started


def memory(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process and all its descendants, in MB."""
    rss = pss = 0
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            info = process.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
    return rss / 2**20, pss / 2**20


def stop_tvers(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(60)


def startup_and_memory() -> list[dict[str, object]]:
    """Cold and warm start of ``tvers up``; memory at rest and at the peak of the demo fill."""
    with tempfile.TemporaryDirectory(prefix="tvers-startup-") as folder:
        data = Path(folder) / "data"
        out = Path(folder) / "up.out"
        process = start_tvers("up", data, out)
        cold = wait_for(process, out, "all services ready", 120)
        time.sleep(3)
        rest_rss, rest_pss = memory(process.pid)
        stop_tvers(process)

        process = start_tvers("up", data, out)
        warm = wait_for(process, out, "all services ready", 120)
        stop_tvers(process)

        peak = [0.0, 0.0]
        process = start_tvers("demo", data, out)
        sampling = True

        def sample() -> None:
            while sampling:
                with contextlib.suppress(psutil.Error):
                    rss, pss = memory(process.pid)
                    peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                time.sleep(0.25)

        sampler = threading.Thread(target=sample)
        sampler.start()
        filled = wait_for(process, out, FILLED, 300)
        sampling = False
        sampler.join()
        stop_tvers(process)
    return [
        {
            "name": "start: tvers up, cold (new data folder) to all services ready",
            "seconds": round(cold, 2),
        },
        {
            "name": "start: tvers up, warm (existing data folder) to all services ready",
            "seconds": round(warm, 2),
        },
        {
            "name": "memory: whole system at rest (RSS sum / PSS)",
            "rss_mb": round(rest_rss),
            "pss_mb": round(rest_pss),
        },
        {
            "name": "memory: whole system, peak during the demo fill (RSS sum / PSS)",
            "rss_mb": round(peak[0]),
            "pss_mb": round(peak[1]),
            "seconds": round(filled, 1),
        },
    ]
