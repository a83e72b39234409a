"""Generate the checked-in JSON Schemas and AsyncAPI document from the code.

``python -m tvers_contracts.generate`` writes them; ``--check`` exits non-zero when the files on
disk have drifted from the code (a test runs the same check).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tvers_contracts.catalog import REGISTRY, SERVICES
from tvers_contracts.envelope import Envelope
from tvers_contracts.event import DomainEvent
from tvers_contracts.registry import EventRegistry
from tvers_contracts.subjects import event_subject, stream_name

CONTRACTS_DIR = Path(__file__).resolve().parents[2]
SCHEMA_BASE_URI = "urn:tvers:contracts:"
ASYNCAPI_FILE = "asyncapi.json"


def schema_path(event_class: type[DomainEvent]) -> str:
    """Where an event's JSON Schema lives, relative to the contracts folder."""
    name = f"{event_class.event_type()}.v{event_class.schema_version}.json"
    return f"schemas/{event_class.service}/{name}"


def event_json_schema(event_class: type[DomainEvent]) -> dict[str, Any]:
    """The JSON Schema of a whole message (envelope and payload) carrying one event version."""
    schema = Envelope[event_class].model_json_schema()  # type: ignore[valid-type]
    properties = schema["properties"]
    properties["event_type"]["const"] = event_class.event_type()
    properties["schema_version"]["const"] = event_class.schema_version
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE_URI + schema_path(event_class),
        **schema,
        "title": f"{event_class.event_type()} v{event_class.schema_version}",
        "description": (event_class.__doc__ or "").strip(),
        "x-subject": event_subject(event_class),
        "x-stream": stream_name(event_class.service),
    }


def json_schema_documents(registry: EventRegistry = REGISTRY) -> dict[str, dict[str, Any]]:
    """Every event version's schema, keyed by its path relative to the contracts folder."""
    return {schema_path(c): event_json_schema(c) for c in registry.all_classes()}


def asyncapi_document(registry: EventRegistry = REGISTRY) -> dict[str, Any]:
    """The AsyncAPI 3 document of every current event, built by FastStream from the contracts."""
    from faststream.nats import JStream, NatsBroker  # noqa: PLC0415 - optional extra "docs"
    from faststream.specification import AsyncAPI  # noqa: PLC0415

    broker = NatsBroker()
    for service in SERVICES:
        stream = JStream(stream_name(service), declare=False)
        for event_class in registry.all_classes():
            if event_class.service != service or event_class is not registry.current(
                event_class.event_type()
            ):
                continue
            broker.publisher(
                event_subject(event_class),
                stream=stream,
                title=event_subject(event_class),
                description=(event_class.__doc__ or "").strip(),
                schema=Envelope[event_class],  # type: ignore[valid-type]
            )
    specification = AsyncAPI(
        broker,
        title="Samarbeid på tvers: domain events",
        version="1.0.0",
        description=(
            "Events published by the services of Samarbeid på tvers on NATS JetStream. "
            "One stream per owning service; every message is a JSON envelope. "
            "The NATS header Nats-Msg-Id carries the event_id."
        ),
    ).to_specification()
    document: dict[str, Any] = json.loads(specification.to_json())
    # The correlation id travels in the envelope, not in a header.
    for message in document.get("components", {}).get("messages", {}).values():
        message["correlationId"] = {"location": "$message.payload#/correlation_id"}
    return document


def rendered_files(registry: EventRegistry = REGISTRY) -> dict[str, str]:
    """Every generated file's path and exact text."""
    files = {
        path: json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for path, doc in json_schema_documents(registry).items()
    }
    files[ASYNCAPI_FILE] = (
        json.dumps(asyncapi_document(registry), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    )
    return files


def drift(root: Path = CONTRACTS_DIR) -> list[str]:
    """Paths whose checked-in text differs from what the code generates, or that are stale."""
    expected = rendered_files()
    differing = [
        path
        for path, text in expected.items()
        if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text
    ]
    on_disk = (
        {p.relative_to(root).as_posix() for p in (root / "schemas").rglob("*.json")}
        if (root / "schemas").is_dir()
        else set()
    )
    stale = sorted(on_disk - expected.keys())
    return differing + stale


def write(root: Path = CONTRACTS_DIR) -> list[str]:
    """Write every generated file; return the paths written."""
    files = rendered_files()
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return sorted(files)


def main(argv: list[str] | None = None) -> int:
    """Command line: write the files, or with ``--check`` report drift."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if files drifted from code")
    parser.add_argument("--root", type=Path, default=CONTRACTS_DIR)
    args = parser.parse_args(argv)
    if args.check:
        drifted = drift(args.root)
        for path in drifted:
            sys.stderr.write(f"drifted from the code: {path}\n")
        if drifted:
            sys.stderr.write("run: python -m tvers_contracts.generate\n")
        return 1 if drifted else 0
    for path in write(args.root):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
