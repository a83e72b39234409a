"""Free ports are chosen where nothing else takes them before they are bound: below the kernel's
ephemeral range, in a band per test worker, never twice from one process."""

import itertools

import pytest

from tvers_runtime.embedded.ports import LOWEST, free_port, port_band


def ephemeral_low() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as numbers:
            return int(numbers.read().split()[0])
    except OSError:
        return 32_768


def test_ports_lie_below_the_ephemeral_range_and_are_never_handed_out_twice() -> None:
    ports = [free_port() for _ in range(200)]
    assert len(set(ports)) == len(ports)
    assert all(LOWEST <= port < max(ephemeral_low(), LOWEST + 1000) for port in ports)


def test_each_test_worker_has_a_band_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    bands = []
    for worker in ("gw0", "gw1", "gw2", "gw3"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        bands.append(port_band())
    for (first, end), (next_first, _) in itertools.pairwise(bands):
        assert first < end <= next_first
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    first, end = port_band()
    assert all(first <= free_port() < end for _ in range(50))
