"""The operator commands against a real ``tvers up`` (embedded PostgreSQL and NATS, every
service): status, dead letters made by a poison event, rebuild and replay; by the data folder,
by ``--postgres-url``/``--nats-url``, and on a stopped system."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import nats
import pytest
from typer.testing import CliRunner

from tvers_cli.layout import DataDir
from tvers_cli.main import app
from tvers_contracts import event_subject
from tvers_contracts.events.access import BranchRegistered
from tvers_runtime.auth import Role, Tokens
from tvers_runtime.embedded import free_port

pytestmark = [pytest.mark.servers, pytest.mark.slow, pytest.mark.xdist_group("opcmds")]
SERVICES = ("reporting", "access", "volunteers", "visits", "desk")


class Up:
    """``tvers up`` as a process of its own on free ports."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        names = (*SERVICES, "postgres", "nats", "nats-monitoring", "library-system", "mail")
        self.ports = {name: free_port() for name in names}
        self.log = data_dir.parent / "tvers-up.out"
        arguments = [sys.executable, "-m", "tvers_cli", "up", "--data-dir", str(data_dir)]
        for name, port in self.ports.items():
            arguments += [f"--{name}-port", str(port)]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                arguments, stdout=output, stderr=subprocess.STDOUT, env={**os.environ}
            )
        deadline = time.monotonic() + 120
        while "all services ready" not in self.log.read_text(errors="replace"):
            assert self.process.poll() is None, self.log.read_text(errors="replace")
            assert time.monotonic() < deadline, self.log.read_text(errors="replace")
            time.sleep(0.2)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(60)

    @property
    def postgres_url(self) -> str:
        password = (DataDir(self.data_dir).secrets / "postgres.password").read_text().strip()
        return f"postgresql://postgres:{password}@127.0.0.1:{self.ports['postgres']}/postgres"

    @property
    def nats_url(self) -> str:
        password = (DataDir(self.data_dir).secrets / "nats-tvers.password").read_text().strip()
        return f"nats://tvers:{password}@127.0.0.1:{self.ports['nats']}"

    def register_branch(self, branch_id: str, name: str) -> None:
        token = Tokens(DataDir(self.data_dir).signing_key()).issue(Role.STAFF, tenant="1508")
        answer = httpx.post(
            f"{self.url('access')}/branches",
            json={"branch_id": branch_id, "name": name},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 201, answer.text

    def reporting_sql(self, sql: str) -> list[tuple[Any, ...]]:
        """Run SQL as the admin in reporting's database."""

        async def go() -> list[tuple[Any, ...]]:
            url = self.postgres_url.rsplit("/", 1)[0] + "/tvers_reporting"
            connection = await asyncpg.connect(url)
            try:
                if sql.lstrip().startswith("SELECT"):
                    return [tuple(row) for row in await connection.fetch(sql)]
                await connection.execute(sql)  # several statements
                return []
            finally:
                await connection.close()

        return asyncio.run(go())

    def branches(self) -> list[tuple[Any, ...]]:
        return self.reporting_sql(
            "SELECT tenant, branch_id, name FROM rm_branches.branches ORDER BY branch_id"
        )


@pytest.fixture(scope="module")
def up(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Up]:
    system = Up(tmp_path_factory.mktemp("opcmds") / "data")
    try:
        yield system
    finally:
        system.stop()


def tvers(system: Up, *arguments: str, code: int = 0) -> str:
    """Run a ``tvers`` command on the system's data folder; its standard output."""
    result = CliRunner().invoke(app, [*arguments, "--data-dir", str(system.data_dir)])
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result.stdout if code == 0 else result.stderr


def eventually(check: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.3)


def refuse_branch(system: Up, branch_id: str) -> None:
    """A fault in reporting's database: inserting this branch into the read model fails."""
    system.reporting_sql(f"""
        CREATE OR REPLACE FUNCTION public.refuse_{branch_id}() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            IF NEW.branch_id = '{branch_id}' THEN RAISE EXCEPTION 'refused on purpose'; END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_{branch_id} BEFORE INSERT ON rm_branches.branches
            FOR EACH ROW EXECUTE FUNCTION public.refuse_{branch_id}();
    """)


def repair(system: Up, branch_id: str) -> None:
    system.reporting_sql(f"DROP TRIGGER refuse_{branch_id} ON rm_branches.branches")


def dead_letters_of_branches(system: Up) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(
        tvers(system, "dead-letters", "list", "--of", "reporting.branches", "--json")
    )
    return listed


def status(system: Up, *extra: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(tvers(system, "status", "--json", *extra))
    return found


def branches_lag(found: dict[str, Any]) -> dict[str, Any]:
    (model,) = [p for p in found["projections"] if p["name"] == "reporting.branches"]
    lag: dict[str, Any] = model["sources"][0]
    return {**lag, "dead_letters": model["dead_letters"]}


def test_status_shows_every_service_ready_the_relay_backlog_and_the_projection_lag(
    up: Up,
) -> None:
    up.register_branch("haroy", "Harøy")
    eventually(lambda: ("1508", "haroy", "Harøy") in up.branches(), "haroy projected")
    found = status(up)
    assert {s["service"]: s["health"] for s in found["services"]} == dict.fromkeys(
        SERVICES, "ready"
    )
    backlogs = {s["service"]: s["relay_backlog"] for s in found["services"]}
    assert backlogs == {"access": 0, "volunteers": 0, "visits": 0, "desk": 0, "reporting": None}
    lag = branches_lag(found)
    assert lag["stream"] == "ACCESS"
    assert lag["applied"] == lag["stream_last"] >= 1
    assert (lag["behind"], lag["dead_letters"]) == (0, 0)
    assert {s["name"] for s in found["subscribers"]} >= {"access-check-ins", "visits-branches"}
    assert found["started_for_this_command"] is False
    table = tvers(up, "status")
    assert "reporting.branches" in table
    assert "access-check-ins" in table


def test_status_by_postgres_and_nats_urls_sees_the_same(up: Up, tmp_path: Path) -> None:
    urls = [f"--{s}-url={up.url(s)}" for s in SERVICES]
    result = CliRunner().invoke(
        app,
        [
            "status",
            "--json",
            "--postgres-url",
            up.postgres_url,
            "--nats-url",
            up.nats_url,
            "--data-dir",
            str(tmp_path / "no-such-folder"),
            *urls,
        ],
    )
    assert result.exit_code == 0, result.stderr
    by_urls = json.loads(result.stdout)
    assert by_urls["projections"] == status(up)["projections"]
    assert {s["health"] for s in by_urls["services"]} == {"ready"}


def test_a_poison_event_is_dead_lettered_listed_shown_retried_after_the_fix_and_gone(
    up: Up,
) -> None:
    refuse_branch(up, "giske")
    up.register_branch("giske", "Giske bibliotek")
    eventually(lambda: bool(dead_letters_of_branches(up)), "giske dead-lettered")
    (letter,) = dead_letters_of_branches(up)
    assert letter["id"].startswith("reporting.branches:ACCESS:")
    assert (letter["stream_id"], letter["event_type"]) == ("branch-giske", "BranchRegistered")
    assert "refused on purpose" in letter["reason"]
    assert branches_lag(status(up))["dead_letters"] == 1

    shown = json.loads(tvers(up, "dead-letters", "show", letter["id"]))
    assert "refused on purpose" in shown["reason"]
    assert shown["envelope"]["event_type"] == "BranchRegistered"
    assert shown["envelope"]["stream_id"] == "branch-giske"
    assert "payload" not in shown["envelope"]
    assert "Giske bibliotek" not in json.dumps(shown)  # the payload is never shown

    still_broken = tvers(up, "dead-letters", "retry", letter["id"])
    assert "0 applied, 1 dead-lettered again" in still_broken
    assert [d["id"] for d in dead_letters_of_branches(up)] == [letter["id"]]

    repair(up, "giske")
    assert "1 applied, 0 dead-lettered again" in tvers(up, "dead-letters", "retry", letter["id"])
    assert dead_letters_of_branches(up) == []
    assert ("1508", "giske", "Giske bibliotek") in up.branches()
    assert "no such dead letter" in tvers(up, "dead-letters", "retry", letter["id"], code=2)


def test_a_skipped_dead_letter_is_gone_and_a_rebuild_passes_it_over_too(up: Up) -> None:
    refuse_branch(up, "vigra")
    up.register_branch("vigra", "Vigra")
    eventually(lambda: bool(dead_letters_of_branches(up)), "vigra dead-lettered")
    (letter,) = dead_letters_of_branches(up)
    assert "skipped" in tvers(up, "dead-letters", "skip", letter["id"])
    assert dead_letters_of_branches(up) == []
    repair(up, "vigra")
    before = up.branches()
    assert "vigra" not in {row[1] for row in before}

    tvers(up, "rebuild", "reporting.branches")

    assert up.branches() == before


def test_a_rebuild_swaps_in_fresh_tables_with_the_same_read_model(up: Up) -> None:
    up.register_branch("sula", "Sula")
    eventually(lambda: "sula" in {row[1] for row in up.branches()}, "sula projected")
    before = up.branches()
    built = up.reporting_sql("SELECT built_at FROM rm_branches._meta")

    printed = tvers(up, "rebuild", "reporting.branches")

    assert "rebuilding reporting.branches" in printed
    assert "swapped in" in printed
    assert up.reporting_sql("SELECT built_at FROM rm_branches._meta") != built
    assert up.branches() == before
    assert branches_lag(status(up))["behind"] == 0


def test_rebuilding_an_unknown_projection_names_the_known_ones(up: Up) -> None:
    refused = tvers(up, "rebuild", "reporting.nothing", code=2)
    assert "reporting.nothing" in refused
    assert "reporting.branches" in refused


def test_replay_from_a_sequence_applies_only_what_the_read_model_lacks(up: Up) -> None:
    up.register_branch("hareid", "Hareid")
    eventually(lambda: "hareid" in {row[1] for row in up.branches()}, "hareid projected")
    before = up.branches()
    applied = branches_lag(status(up))["applied"]

    replayed = tvers(up, "replay", "reporting.branches", "--from", "1")
    assert f"replayed {applied} messages of ACCESS (#1 to #{applied}): 0 applied" in replayed
    assert up.branches() == before

    # A read model that lost one event (its row and its version record) gets back that one.
    up.reporting_sql("""
        DELETE FROM rm_branches.branches WHERE branch_id = 'hareid';
        DELETE FROM rm_branches._stream_versions WHERE stream_id = 'branch-hareid';
    """)
    replayed = tvers(up, "replay", "reporting.branches", "--from", "1")
    assert ": 1 applied" in replayed
    assert up.branches() == before
    assert branches_lag(status(up))["applied"] == applied  # the checkpoint stays


def test_a_replay_from_past_the_checkpoint_replays_nothing_and_says_so(up: Up) -> None:
    applied = branches_lag(status(up))["applied"]
    refused = tvers(up, "replay", "reporting.branches", "--from", "99999999999999999999", code=2)
    assert "nothing replayed" in refused
    assert f"#{applied}" in refused


def test_dead_letters_of_an_unknown_name_are_refused_with_the_known_ones(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["dead-letters", "list", "--of", "reporting.nothing", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "reporting.branches" in result.stderr
    assert "visits-branches" in result.stderr


def test_replay_of_a_read_model_of_several_streams_asks_which(up: Up) -> None:
    refused = tvers(up, "replay", "reporting.daily_activity", "--from", "1", code=2)
    assert "--stream" in refused
    assert "ACCESS" in refused


def test_a_message_that_is_no_event_is_dead_lettered_by_subscribers_and_skipped(up: Up) -> None:
    card = "12345678901234"

    async def publish_garbage() -> None:
        client = await nats.connect(up.nats_url)
        try:
            garbage = json.dumps({"event_type": "BranchRegistered", "card": card}).encode()
            await client.jetstream().publish(event_subject(BranchRegistered), garbage)
        finally:
            await client.close()

    asyncio.run(publish_garbage())

    def listed() -> dict[str, dict[str, Any]]:
        found = json.loads(tvers(up, "dead-letters", "list", "--json"))
        return {d["id"]: d for d in found}

    eventually(lambda: any(i.startswith("visits-branches:") for i in listed()), "visits gave up")
    eventually(lambda: any(i.startswith("reporting.branches:") for i in listed()), "reporting")
    letters = listed()
    assert card not in json.dumps(letters)
    (subscriber_letter,) = [i for i in letters if i.startswith("visits-branches:")]
    assert letters[subscriber_letter]["kind"] == "subscriber"
    assert "not an event" in letters[subscriber_letter]["reason"]
    shown = tvers(up, "dead-letters", "show", subscriber_letter)
    assert card not in shown
    assert "not an event" in shown

    refused = tvers(up, "dead-letters", "retry", subscriber_letter, code=1)
    assert "failed again and stays" in refused
    assert subscriber_letter in listed()

    for identifier in letters:
        assert "skipped" in tvers(up, "dead-letters", "skip", identifier)
    assert listed() == {}
    assert "no such dead letter" in tvers(up, "dead-letters", "skip", subscriber_letter, code=2)


def test_on_a_stopped_system_the_commands_start_its_servers_and_say_so(up: Up) -> None:
    before = up.branches()
    up.stop()
    result = CliRunner().invoke(app, ["status", "--json", "--data-dir", str(up.data_dir)])
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert "not running" in result.stderr
    assert found["started_for_this_command"] is True
    assert {s["health"] for s in found["services"]} == {"down"}
    assert branches_lag(found)["applied"] >= len(before)
    tvers(up, "rebuild", "reporting.branches")
    assert dead_letters_of_branches(up) == []


def test_without_a_data_folder_or_reachable_servers_the_commands_say_what_to_give(
    tmp_path: Path,
) -> None:
    no_folder = CliRunner().invoke(app, ["dead-letters", "list", "--data-dir", str(tmp_path)])
    assert no_folder.exit_code == 1
    assert "--postgres-url and --nats-url" in " ".join(no_folder.stderr.split())
    closed = f"127.0.0.1:{free_port()}"
    unreachable = CliRunner().invoke(
        app,
        ["status", "--postgres-url", f"postgresql://x@{closed}/postgres", "--nats-url", "nats://x"],
    )
    assert unreachable.exit_code == 1
    assert "cannot reach PostgreSQL" in unreachable.stderr
