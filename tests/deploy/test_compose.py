"""``deploy/compose.yaml``: valid by the Compose Specification, pinned images, health checks,
secrets only from files, and the pieces it names (Dockerfile, init script, NATS configuration)
present and working. No Docker engine runs here, so nothing is built or started by Docker."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tvers_cli.compose_secrets import write_compose_secrets
from tvers_cli.layout import SERVICES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
BACKING = ("nats", "postgres")
#: A setting whose name says it is secret must be a file path, never the secret itself.
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|KEY|DATABASE_URL|NATS_URL")
CREDENTIALS_IN_URL = re.compile(r"://[^/\s:@]+:[^/\s@]+@")
CHECK_JSONSCHEMA = (sys.executable, "-m", "check_jsonschema")
#: Settings that name the folder of secret files.
SECRET_FOLDERS = frozenset({"TVERS_SECRETS", "TVERS_SECRETS_DIR"})


def load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load(COMPOSE)


def check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CHECK_JSONSCHEMA, "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_compose_file_is_valid_by_the_compose_specification() -> None:
    result = check_jsonschema(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_compose_file_with_a_wrong_field(tmp_path: Path) -> None:
    # The same check, shown able to fail: an unknown dependency condition is refused.
    broken = tmp_path / "compose.yaml"
    text = COMPOSE.read_text(encoding="utf-8")
    broken.write_text(text.replace("service_healthy", "service_happy", 1), encoding="utf-8")
    result = check_jsonschema(broken)
    assert result.returncode == 1
    assert "service_happy" in result.stdout


def test_there_is_one_service_per_tvers_service_and_the_backing_servers(
    compose: dict[str, Any],
) -> None:
    assert sorted(compose["services"]) == sorted([*SERVICES, *BACKING])


def test_the_official_nats_and_postgres_images_are_pinned_to_a_full_version(
    compose: dict[str, Any],
) -> None:
    images = {name: compose["services"][name]["image"] for name in BACKING}
    assert re.fullmatch(r"nats:\d+\.\d+\.\d+-alpine", images["nats"]), images
    # PostgreSQL 18 as in the embedded wheel the tests run against.
    assert re.fullmatch(r"postgres:18\.\d+(-[a-z]+)?", images["postgres"]), images


def test_no_image_floats(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        image = service["image"]
        tag = image.rpartition(":")[2] if ":" in image.rpartition("/")[2] else ""
        assert tag, f"{name}: {image} has no tag"
        assert "latest" not in tag, f"{name}: {image}"


def test_every_tvers_service_is_its_own_image_built_with_its_service_argument(
    compose: dict[str, Any],
) -> None:
    for name in SERVICES:
        service = compose["services"][name]
        assert service["image"].startswith(f"tvers/{name}:")
        assert service["build"]["args"]["SERVICE"] == name
        project = tomllib.loads((ROOT / "services" / name / "pyproject.toml").read_text())
        assert project["project"]["name"] == f"tvers-{name}"  # what the Dockerfile installs


def test_every_service_has_a_health_check(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        check = service.get("healthcheck", {})
        assert check.get("test"), f"{name} has no health check"
        assert not check.get("disable", False), name
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, name


def test_every_tvers_service_waits_for_healthy_backing_servers(compose: dict[str, Any]) -> None:
    for name in SERVICES:
        depends = compose["services"][name]["depends_on"]
        assert set(BACKING) <= set(depends), name
        for dependency, condition in depends.items():
            assert condition == {"condition": "service_healthy"}, (name, dependency)
            assert compose["services"][dependency]["healthcheck"]["test"], dependency


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        return dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def _mounted(service: dict[str, Any]) -> set[str]:
    """The files under /run/secrets a service gets."""
    mounted: set[str] = set()
    for secret in service.get("secrets", []):
        if isinstance(secret, str):
            mounted.add(secret)
        else:
            mounted.add(secret.get("target", secret["source"]))
    return mounted


def inline_secrets(compose: dict[str, Any]) -> list[str]:
    """Settings that hold a secret instead of naming a mounted secret file."""
    found: list[str] = []
    for name, service in compose["services"].items():
        for key, value in _environment(service).items():
            if CREDENTIALS_IN_URL.search(value):
                found.append(f"{name}: {key} has credentials in a URL")
            elif SECRET_NAME.search(key) and key not in SECRET_FOLDERS:
                path = Path(value)
                if not key.endswith("_FILE") or path.parent != Path("/run/secrets"):
                    found.append(f"{name}: {key} holds a secret")
                elif path.name not in _mounted(service):
                    found.append(f"{name}: {key} names no mounted secret")
    return found


def test_no_secret_is_written_in_an_environment(compose: dict[str, Any]) -> None:
    assert inline_secrets(compose) == []


def test_the_secret_check_finds_a_secret_written_in_an_environment(
    compose: dict[str, Any],
) -> None:
    doctored = copy.deepcopy(compose)
    doctored["services"]["access"]["environment"]["TVERS_SIP2_PASSWORD"] = "hunter2"
    doctored["services"]["desk"]["environment"]["TVERS_NATS_URL"] = "nats://desk:pw@nats:4222"
    doctored["services"]["visits"]["environment"]["TVERS_PATRON_KEY_FILE"] = "/run/secrets/x"
    assert inline_secrets(doctored) == [
        "access: TVERS_SIP2_PASSWORD holds a secret",
        "visits: TVERS_PATRON_KEY_FILE names no mounted secret",
        "desk: TVERS_NATS_URL has credentials in a URL",
    ]


def test_every_secret_is_a_file_that_git_ignores(compose: dict[str, Any]) -> None:
    for name, secret in compose["secrets"].items():
        assert set(secret) == {"file"}, f"{name} is not a file"
        path = (DEPLOY / secret["file"]).resolve()
        assert path.parent == DEPLOY / "secrets", name
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", str(path)], cwd=ROOT, check=False, timeout=30
        )
        assert ignored.returncode == 0, f"{path} would be committed"


def test_the_secrets_command_makes_every_file_compose_mounts(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    made = set(write_compose_secrets(tmp_path / "secrets"))
    wanted = {Path(secret["file"]).name for secret in compose["secrets"].values()}
    assert wanted <= made, sorted(wanted - made)
    used = {
        secret if isinstance(secret, str) else secret["source"]
        for service in compose["services"].values()
        for secret in service.get("secrets", [])
    }
    assert used == set(compose["secrets"])


def test_each_service_reads_its_own_database_and_nats_url_only(compose: dict[str, Any]) -> None:
    for name in SERVICES:
        sources = {
            secret["target"]: secret["source"]
            for secret in compose["services"][name]["secrets"]
            if isinstance(secret, dict) and "target" in secret
        }
        assert sources == {
            "TVERS_DATABASE_URL": f"{name}-database-url",
            "TVERS_NATS_URL": f"{name}-nats-url",
        }
        assert _environment(compose["services"][name])["TVERS_SECRETS_DIR"] == "/run/secrets"


def _dockerfiles(compose: dict[str, Any]) -> set[Path]:
    return {
        ROOT / "deploy" / service["build"]["context"] / service["build"]["dockerfile"]
        for service in compose["services"].values()
        if "build" in service
    }


def _final_stage(dockerfile: Path) -> list[str]:
    text = dockerfile.read_text(encoding="utf-8").replace("\\\n", " ")
    instructions = [line.strip() for line in text.splitlines() if line.strip()]
    instructions = [line for line in instructions if not line.startswith("#")]
    starts = [i for i, line in enumerate(instructions) if line.upper().startswith("FROM ")]
    assert len(starts) >= 2, f"{dockerfile} is not multi-stage"
    return instructions[starts[-1] :]


def test_every_dockerfile_named_exists_is_multi_stage_and_installs_from_the_lock(
    compose: dict[str, Any],
) -> None:
    dockerfiles = _dockerfiles(compose)
    assert dockerfiles
    for dockerfile in dockerfiles:
        assert dockerfile.is_file(), dockerfile
        text = dockerfile.read_text(encoding="utf-8")
        assert "COPY pyproject.toml uv.lock" in text
        assert re.search(r"uv sync --frozen --no-dev .*--package \"tvers-\$\{SERVICE\}\"", text)
        _final_stage(dockerfile)


def test_every_image_runs_as_a_user_that_is_not_root(compose: dict[str, Any]) -> None:
    for dockerfile in _dockerfiles(compose):
        users = [line.split()[1] for line in _final_stage(dockerfile) if line.startswith("USER ")]
        assert users, f"{dockerfile}: no USER in the final stage"
        user = users[-1].split(":")[0]
        assert user not in {"root", "0"}, dockerfile


def test_every_image_has_a_health_check_on_healthz(compose: dict[str, Any]) -> None:
    for dockerfile in _dockerfiles(compose):
        checks = [line for line in _final_stage(dockerfile) if line.startswith("HEALTHCHECK ")]
        assert checks, f"{dockerfile}: no HEALTHCHECK"
        assert "/healthz" in checks[-1]
        assert "curl" not in checks[-1]


def test_the_compose_nats_configuration_loads_with_the_generated_users(tmp_path: Path) -> None:
    # The layout inside the container: /etc/nats/nats.conf includes
    # ../../run/secrets/nats-authorization.conf.
    config = tmp_path / "etc" / "nats" / "nats.conf"
    config.parent.mkdir(parents=True)
    shutil.copy(DEPLOY / "nats" / "nats.conf", config)
    write_compose_secrets(tmp_path / "run" / "secrets")
    nats_server = shutil.which("nats-server", path=str(Path(sys.executable).parent))
    assert nats_server is not None
    checked = subprocess.run(
        [nats_server, "-t", "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    (tmp_path / "run" / "secrets" / "nats-authorization.conf").unlink()
    missing = subprocess.run(
        [nats_server, "-t", "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode != 0


def test_postgres_gets_the_password_of_every_role_the_init_script_makes(
    compose: dict[str, Any],
) -> None:
    script = (DEPLOY / "postgres" / "initdb" / "10-tvers-databases.sh").read_text()
    made = re.search(r'services="\$\{TVERS_SERVICES:-([a-z ]+)\}"', script)
    assert made is not None
    assert made.group(1).split() == list(SERVICES)
    postgres = compose["services"]["postgres"]
    assert {f"db-{service}-password" for service in SERVICES} <= _mounted(postgres)
    assert "./postgres/initdb:/docker-entrypoint-initdb.d:ro" in postgres["volumes"]
    assert _environment(postgres)["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres-password"
