"""Rendering the kustomize overlays of ``deploy/k8s`` and validating what they give, offline.

- Kinds Kubernetes knows are validated by ``kubernetes-validate`` against the schemas of one
  Kubernetes version, strictly: an unknown field fails.
- Custom resources (CloudNativePG's ``Cluster`` and ``Database``) are validated against the
  openAPIV3Schema of their CRD, vendored in ``crds/``. A CRD schema allows unknown fields (the API
  server prunes them, or refuses them with strict field validation), so every object schema that
  lists its properties and keeps no unknown fields is closed here (``additionalProperties:
  false``), as the server's strict field validation does.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
CRDS = Path(__file__).resolve().parent / "crds"
#: The Kubernetes version the manifests are validated for (kubernetes-validate ships 1.25 on).
KUBERNETES_VERSION = "1.31"
OVERLAYS = ("dev", "production")

Manifest = dict[str, Any]


def kubectl() -> str:
    """kubectl's path; the test is skipped, saying why, on a machine without it."""
    found = shutil.which("kubectl")
    if found is None:
        pytest.skip("kubectl (with its kustomize) is not on PATH: cannot render deploy/k8s")
    return found


@functools.cache
def _render(folder: Path) -> tuple[Manifest, ...]:
    result = subprocess.run(
        [kubectl(), "kustomize", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"kubectl kustomize {folder} failed:\n{result.stderr}")
    return tuple(document for document in yaml.safe_load_all(result.stdout) if document)


def render(overlay: str) -> list[Manifest]:
    """The objects an overlay renders to (copies: a test may change them)."""
    return copy.deepcopy(list(_render(K8S / "overlays" / overlay)))


def _closed(schema: Any) -> Any:
    """The schema with every object that lists its properties closed to others."""
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {key: _closed(value) for key, value in schema.items()}
    keeps_unknown = schema.get("x-kubernetes-preserve-unknown-fields") is True
    if "properties" in schema and "additionalProperties" not in schema and not keeps_unknown:
        closed["additionalProperties"] = False
    return closed


@functools.cache
def crd_schemas() -> dict[tuple[str, str], dict[str, Any]]:
    """Each vendored CRD's schema by (apiVersion, kind), closed to unknown fields."""
    schemas: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(CRDS.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text(encoding="utf-8"))
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = _closed(version["schema"]["openAPIV3Schema"])
            schemas[(f"{group}/{version['name']}", kind)] = schema
    return schemas


def validate(manifest: Manifest) -> None:
    """Raise when the object does not validate: a custom resource against its CRD, any other
    against Kubernetes' own schemas (strict); a kind neither knows is an error too."""
    key = (manifest.get("apiVersion", ""), manifest.get("kind", ""))
    schema = crd_schemas().get(key)
    if schema is not None:
        jsonschema.Draft7Validator(schema).validate(manifest)
        return
    kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def of_kind(manifests: list[Manifest], kind: str) -> dict[str, Manifest]:
    """The objects of one kind by name."""
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == kind}


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether a ``matchLabels`` selector (the only kind used here) selects these labels."""
    assert set(selector) <= {"matchLabels"}, f"only matchLabels is checked: {selector}"
    wanted = selector.get("matchLabels", {})
    return bool(wanted) and all(labels.get(key) == value for key, value in wanted.items())


def containers(deployment: Manifest) -> list[Manifest]:
    return list(deployment["spec"]["template"]["spec"]["containers"])


def named_port(container: Manifest, port: int | str) -> int:
    """The container port a probe or Service names (by number or by name)."""
    if isinstance(port, int):
        return port
    return next(p["containerPort"] for p in container["ports"] if p.get("name") == port)


# Validation


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_an_overlay_renders_validates_strictly(overlay: str) -> None:
    manifests = render(overlay)

    failures = []
    for manifest in manifests:
        try:
            validate(manifest)
        except Exception as error:  # every failure is listed, not just the first
            failures.append(f"{manifest['kind']}/{manifest['metadata']['name']}: {error}")

    assert not failures, "\n".join(failures)
    assert {"Deployment", "Cluster", "Database", "Job"} <= {m["kind"] for m in manifests}


def test_an_unknown_field_in_a_deployment_fails_validation() -> None:
    deployment = of_kind(render("production"), "Deployment")["access"]
    containers(deployment)[0]["readinessProbes"] = {"httpGet": {"path": "/readyz", "port": 8000}}

    with pytest.raises(kubernetes_validate.ValidationError, match="readinessProbes"):
        validate(deployment)


def test_an_unknown_field_in_the_postgres_cluster_fails_validation() -> None:
    cluster = of_kind(render("production"), "Cluster")["tvers-postgres"]
    cluster["spec"]["instancess"] = 3

    with pytest.raises(jsonschema.ValidationError, match="instancess"):
        validate(cluster)


def test_a_wrongly_typed_field_in_a_managed_role_fails_validation() -> None:
    cluster = of_kind(render("production"), "Cluster")["tvers-postgres"]
    cluster["spec"]["managed"]["roles"][0]["login"] = "yes"

    with pytest.raises(jsonschema.ValidationError, match="'yes' is not of type 'boolean'"):
        validate(cluster)


def test_a_kind_without_a_schema_fails_validation() -> None:
    unknown = {"apiVersion": "example.org/v1", "kind": "Gadget", "metadata": {"name": "x"}}

    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        validate(unknown)


# What a service needs


SERVICES = ("access", "volunteers", "visits", "desk", "reporting")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_has_a_deployment_with_probes_resources_and_a_locked_down_container(
    overlay: str,
) -> None:
    deployments = of_kind(render(overlay), "Deployment")

    assert set(deployments) == set(SERVICES)
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = containers(deployment)
        assert container["image"].startswith(f"tvers/{name}:"), name
        assert named_port(container, "http") == 8000, name
        for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
            check = container[probe]["httpGet"]
            assert check["path"] == path, (name, probe)
            assert named_port(container, check["port"]) == 8000, (name, probe)
        for amount in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][amount]), (name, amount)
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False, name
        assert security["readOnlyRootFilesystem"] is True, name
        assert security["capabilities"]["drop"] == ["ALL"], name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_deployment_has_a_service_and_a_disruption_budget_selecting_its_pods(
    overlay: str,
) -> None:
    manifests = render(overlay)
    services = of_kind(manifests, "Service").values()
    budgets = of_kind(manifests, "PodDisruptionBudget").values()

    for name, deployment in of_kind(manifests, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert selects(deployment["spec"]["selector"], labels), name
        (container,) = containers(deployment)
        serving = [s for s in services if selects({"matchLabels": s["spec"]["selector"]}, labels)]
        assert len(serving) == 1, name
        for port in serving[0]["spec"]["ports"]:
            assert named_port(container, port["targetPort"]) == 8000, name
        assert [b for b in budgets if selects(b["spec"]["selector"], labels)], name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_settings_come_from_config_maps_and_secrets_are_files_in_run_secrets(
    overlay: str,
) -> None:
    manifests = render(overlay)
    config_maps = of_kind(manifests, "ConfigMap")

    for name, deployment in of_kind(manifests, "Deployment").items():
        (container,) = containers(deployment)
        settings: dict[str, str] = {}
        for source in container["envFrom"]:
            settings |= config_maps[source["configMapRef"]["name"]]["data"]
        assert settings["TVERS_SECRETS_DIR"] == "/run/secrets", name
        assert settings["TVERS_HTTP_PORT"] == "8000", name
        assert "env" not in container, f"{name}: settings belong in its ConfigMap"
        mounts = {m["name"]: m for m in container["volumeMounts"]}
        volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
        secret = volumes[mounts["secrets"]["name"]]["secret"]
        assert mounts["secrets"]["mountPath"] == "/run/secrets", name
        assert secret["secretName"] == f"{name}-secrets", name
        files = {item["path"] for item in secret["items"]}
        assert {"TVERS_DATABASE_URL", "TVERS_NATS_URL", "TVERS_AUTH_KEY"} <= files, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_autoscalers_scale_http_heavy_deployments_that_leave_the_count_to_them(
    overlay: str,
) -> None:
    manifests = render(overlay)
    deployments = of_kind(manifests, "Deployment")
    autoscalers = of_kind(manifests, "HorizontalPodAutoscaler")

    assert set(autoscalers) == {"access", "desk", "reporting"}
    for name, autoscaler in autoscalers.items():
        target = autoscaler["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", name)
        assert "replicas" not in deployments[name]["spec"], f"{name}: the autoscaler sets it"
        assert autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"]


def test_production_runs_released_images_more_than_one_of_each_and_three_of_postgres() -> None:
    manifests = render("production")
    images = [
        container["image"]
        for kind in ("Deployment", "Job")
        for workload in of_kind(manifests, kind).values()
        for container in workload["spec"]["template"]["spec"]["containers"]
    ]
    config = of_kind(manifests, "ConfigMap")

    for image in images:
        _, _, tag = image.rpartition(":")
        assert tag, f"{image}: no tag"
        assert "/" not in tag, f"{image}: no tag"
        assert tag != "latest", image
    for name, deployment in of_kind(manifests, "Deployment").items():
        autoscaler = of_kind(manifests, "HorizontalPodAutoscaler").get(name)
        count = autoscaler["spec"]["minReplicas"] if autoscaler else deployment["spec"]["replicas"]
        assert count >= 2, name
    assert of_kind(manifests, "Cluster")["tvers-postgres"]["spec"]["instances"] == 3
    common = next(c for name, c in config.items() if name.startswith("tvers-common"))
    assert common["data"]["TVERS_STREAM_REPLICAS"] == "3"


def test_dev_runs_one_postgres_instance_and_streams_of_one_replica() -> None:
    manifests = render("dev")
    config = of_kind(manifests, "ConfigMap")

    assert of_kind(manifests, "Cluster")["tvers-postgres"]["spec"]["instances"] == 1
    common = next(c for name, c in config.items() if name.startswith("tvers-common"))
    assert common["data"]["TVERS_STREAM_REPLICAS"] == "1"


# PostgreSQL and the streams


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_has_its_own_role_with_the_transaction_limits_and_its_own_database(
    overlay: str,
) -> None:
    manifests = render(overlay)
    cluster = of_kind(manifests, "Cluster")["tvers-postgres"]
    roles = {role["name"]: role for role in cluster["spec"]["managed"]["roles"]}
    databases = {d["spec"]["name"]: d["spec"] for d in of_kind(manifests, "Database").values()}
    (reference,) = cluster["spec"]["bootstrap"]["initdb"]["postInitSQLRefs"]["configMapRefs"]
    sql = of_kind(manifests, "ConfigMap")[reference["name"]]["data"][reference["key"]]

    for service in SERVICES:
        role = f"tvers_{service}"
        assert roles[role]["login"] is True
        assert roles[role]["passwordSecret"]["name"] == f"tvers-db-{service}"
        assert databases[role]["owner"] == role
        assert databases[role]["cluster"]["name"] == "tvers-postgres"
        assert f"ALTER ROLE {role} SET idle_in_transaction_session_timeout = '60s';" in sql
        assert f"ALTER ROLE {role} SET transaction_timeout = '5min';" in sql


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_stream_job_runs_the_runtimes_entry_point_as_the_nats_admin(overlay: str) -> None:
    job = of_kind(render(overlay), "Job")["tvers-create-streams"]
    (container,) = job["spec"]["template"]["spec"]["containers"]
    (volume,) = job["spec"]["template"]["spec"]["volumes"]

    assert container["command"] == ["python", "-m", "tvers_runtime.relay.create_streams"]
    assert importlib.util.find_spec("tvers_runtime.relay.create_streams") is not None
    assert container["image"].startswith("tvers/reporting:")
    assert volume["secret"]["secretName"] == "tvers-nats-admin"


def test_the_manifests_say_why_more_than_one_replica_is_safe() -> None:
    for service in SERVICES:
        text = (K8S / "base" / f"{service}.yaml").read_text(encoding="utf-8")
        assert "advisory lock" in text, service
        assert "others wait" in text, service
