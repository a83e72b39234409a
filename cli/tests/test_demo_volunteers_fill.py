"""How the demo fills the volunteers' strand: the coming shifts claimed alike whatever day the
demo runs, on the shift that already lies there; the history kept once per data folder; the
simulated clock, at each step's own moment and never back; and the volunteers service's
settings taken from its running process, with what must not run in the past turned off."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tvers_cli.demo.fill_coming import claimers, coming_slots, lying_at
from tvers_cli.demo.history import make
from tvers_cli.demo.hosting import slots
from tvers_cli.demo.simulated import SimulatedClock, settings_of
from tvers_cli.demo.until import HistoryRecord, history_record, write_history_record
from tvers_cli.layout import DataDir

DAY = date(2026, 11, 30)


def test_a_coming_shift_is_claimed_alike_whatever_day_the_demo_runs() -> None:
    history = make(DAY)
    people = {p.number: p for p in history.volunteers}
    shared = {s.key for s in coming_slots(DAY)} & {s.key for s in coming_slots(DAY + timedelta(5))}
    assert len(shared) > 10
    waits = leaves = 0
    for slot in coming_slots(DAY):
        order, leaver = claimers(slot, history)
        assert (order, leaver) == claimers(slot, history)
        assert len(set(order)) == len(order)
        assert leaver in (None, *order[:1])
        for number in order:
            if slot.role == "host":
                assert people[number].home_branch == slot.branch_id
                assert people[number].hosts_from is not None
        waits += max(0, len(order) - slot.capacity)
        leaves += leaver is not None
    assert waits > 0
    assert leaves > 0


def shift(**fields: Any) -> dict[str, Any]:
    slot = slots(DAY)[0]
    found = {
        "shift_id": "a",
        "role": "host",
        "stage": "proposed",
        "starts_at": slot.starts_at.isoformat(),
        "ends_at": slot.ends_at.isoformat(),
    }
    return found | fields


def test_the_shift_lying_at_a_slot_is_the_published_one_before_a_proposal() -> None:
    slot = slots(DAY)[0]
    later = (slot.ends_at + timedelta(hours=1)).isoformat()
    assert lying_at(slot, []) is None
    assert lying_at(slot, [shift(stage="withdrawn"), shift(role="helper")]) is None
    assert lying_at(slot, [shift(starts_at=slot.ends_at.isoformat(), ends_at=later)]) is None
    proposed, published = shift(shift_id="p"), shift(shift_id="s", stage="published")
    assert lying_at(slot, [proposed]) == proposed
    assert lying_at(slot, [proposed, published]) == published


def test_the_volunteers_history_is_kept_once_per_data_folder(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    assert history_record(data, DAY) == HistoryRecord(DAY)
    assert history_record(data, DAY + timedelta(days=3)) == HistoryRecord(DAY)
    write_history_record(data, HistoryRecord(DAY, {0: "id-0", 12: "id-12"}))
    assert history_record(data, DAY + timedelta(days=9)).volunteers == {0: "id-0", 12: "id-12"}
    # A day ahead of today (the machine's clock went back) is no history to keep.
    assert history_record(data, DAY - timedelta(days=1)) == HistoryRecord(DAY - timedelta(days=1))
    data.demo_history.write_text("not json", encoding="utf-8")
    assert history_record(data, DAY) == HistoryRecord(DAY)


async def test_the_simulated_clock_tells_each_step_its_own_moment_and_never_goes_back() -> None:
    start = datetime(2026, 10, 5, 9, tzinfo=UTC)
    clock = SimulatedClock(start)
    assert clock() == start

    async def step(minutes: int) -> datetime:
        with clock.at(start + timedelta(minutes=minutes)):
            await asyncio.sleep(0.01 * (3 - minutes))
            return clock()

    seen = await asyncio.gather(step(1), step(2))
    assert list(seen) == [start + timedelta(minutes=1), start + timedelta(minutes=2)]
    assert clock() == start + timedelta(minutes=2)  # outside any step: the latest moment
    clock.move_to(start + timedelta(hours=1))
    with pytest.raises(ValueError, match="does not go back"), clock.at(start):
        pass
    with pytest.raises(ValueError, match="does not go back"):
        clock.move_to(start)


def test_the_simulated_service_runs_with_its_processs_settings_and_no_mail_or_own_tasks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TVERS_SCHEDULER_LOOK_BACK_HOURS", "30")  # this process's, not its
    monkeypatch.setenv("TVERS_PUBLIC_URL", "https://elsewhere.example")
    settings = settings_of(
        {
            "PATH": "/usr/bin",
            "TVERS_DATABASE_URL": "postgresql://volunteers@127.0.0.1:1/volunteers",
            "TVERS_VAULT_MASTER_KEY_FILE": "/data/secrets/vault-master.key",
            "TVERS_TENANT": "1508",
            "TVERS_LOG_JSON": "true",
            "TVERS_SMTP_HOST": "127.0.0.1",
            "TVERS_SMTP_SENDER": "Bibliotekvenn <bibliotekvenn@localhost>",
        }
    )
    assert settings.database_url.get_secret_value().endswith("/volunteers")
    assert settings.vault_master_key_file == Path("/data/secrets/vault-master.key")
    assert settings.log_json is True
    assert (settings.scheduler_look_back_hours, settings.public_url) == (168, None)
    assert (settings.smtp_host, settings.proposer_enabled, settings.scheduler_enabled) == (
        None,
        False,
        False,
    )
