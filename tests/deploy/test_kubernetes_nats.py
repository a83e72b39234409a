"""The values of deploy/k8s/nats for the official NATS Helm chart: every key is one the chart
has (its default values are vendored in ``charts/``), they make a three-node JetStream cluster
with file storage and monitoring, and its users are those of ``tvers up``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tvers_cli.nats_accounts import ADMIN, permissions, users

ROOT = Path(__file__).resolve().parents[2]
VALUES = ROOT / "deploy" / "k8s" / "nats"
CHART_DEFAULTS = Path(__file__).resolve().parent / "charts" / "nats-values-2.14.2.yaml"
#: Keys whose values the chart passes on as they are (server config, env, Kubernetes objects).
FREE_FORM = {"merge", "patch", "env", "resources", "topologySpreadConstraints", "labels"}


def load(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def unknown_keys(values: dict[str, Any], defaults: dict[str, Any], at: str = "") -> list[str]:
    """The dotted paths of ``values`` the chart's defaults do not have."""
    unknown: list[str] = []
    for key, value in values.items():
        path = f"{at}{key}"
        if key not in defaults:
            unknown.append(path)
        elif key in FREE_FORM:
            continue
        elif isinstance(value, dict) and isinstance(defaults[key], dict):
            unknown += unknown_keys(value, defaults[key], f"{path}.")
    return unknown


@pytest.mark.parametrize("name", ["values.yaml", "values-dev.yaml"])
def test_every_key_of_the_values_is_one_the_chart_has(name: str) -> None:
    assert unknown_keys(load(VALUES / name), load(CHART_DEFAULTS)) == []


def test_a_misspelt_key_is_caught() -> None:
    values = load(VALUES / "values.yaml")
    values["config"]["jetstream"]["filestore"] = values["config"]["jetstream"].pop("fileStore")

    assert unknown_keys(values, load(CHART_DEFAULTS)) == ["config.jetstream.filestore"]


def test_the_values_make_a_three_node_jetstream_cluster_on_volumes_with_monitoring() -> None:
    values = load(VALUES / "values.yaml")
    config = values["config"]

    assert config["cluster"] == {"enabled": True, "replicas": 3}
    assert config["jetstream"]["enabled"] is True
    assert config["jetstream"]["fileStore"]["enabled"] is True
    assert config["jetstream"]["fileStore"]["pvc"]["enabled"] is True
    assert config["monitor"]["enabled"] is True
    assert values["promExporter"]["enabled"] is True


def test_the_users_and_their_permissions_are_those_of_tvers_up() -> None:
    values = load(VALUES / "values.yaml")
    configured = values["config"]["merge"]["authorization"]["users"]
    environment = values["container"]["env"]

    expected = {ADMIN: None} | {user: p.config() for user, p in permissions().items()}
    assert {user["user"]: user.get("permissions") for user in configured} == expected
    for user in configured:
        variable = f"NATS_PASSWORD_{user['user'].upper()}"
        assert user["password"] == f"<< ${variable} >>"
        reference = environment[variable]["valueFrom"]["secretKeyRef"]
        assert reference == {"name": "tvers-nats-users", "key": user["user"]}
    assert {user["user"] for user in configured} == set(users())
