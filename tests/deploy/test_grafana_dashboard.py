"""``deploy/grafana/tvers.json``: valid JSON, a query in every panel, and every metric its queries
name one that a running service really exports on ``/metrics`` (scraped from a service run on a
real PostgreSQL and NATS)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from tvers_reporting.bootstrap import build_app
from tvers_reporting.settings import ReportingSettings
from tvers_runtime.testing.http import service_settings
from tvers_runtime.testing.servers import NatsUnderTest

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "tvers.json"
#: PromQL words that are not metric names: operators, modifiers, aggregations written without
#: their parenthesis right after (``sum by (x) (...)``), and literals.
KEYWORDS = frozenset(
    {
        "and",
        "or",
        "unless",
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "offset",
        "bool",
        "atan2",
        "sum",
        "min",
        "max",
        "avg",
        "group",
        "stddev",
        "stdvar",
        "count",
        "count_values",
        "bottomk",
        "topk",
        "quantile",
        "limitk",
        "limit_ratio",
        "inf",
        "nan",
    }
)
IDENTIFIER = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
#: The sample names a metric family of each type is scraped as.
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
    "info": ("_info",),
}


def metric_names(promql: str) -> set[str]:
    """The metric names a PromQL expression reads."""
    text = re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`', " ", promql)  # strings
    text = re.sub(r"\$\{[^}]*\}|\$\w+", " ", text)  # Grafana variables
    text = re.sub(r"\{[^}]*\}", " ", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)  # ranges and subqueries
    text = re.sub(r"\boffset\s+-?\w+", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"(?<![\w:])\d[\w.]*([eE][+-]?\d+)?", " ", text)  # numbers, durations
    names: set[str] = set()
    for match in IDENTIFIER.finditer(text):
        token = match.group()
        if text[match.end() :].lstrip().startswith("("):
            continue  # a function, or an aggregation
        if token.lower() in KEYWORDS:
            continue
        names.add(token)
    return names


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def panels(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in document["panels"]:
        yield panel
        yield from panel.get("panels", [])  # inside collapsed rows


def queries(document: dict[str, Any]) -> dict[str, str]:
    """Every PromQL query, by where it is."""
    found: dict[str, str] = {}
    for panel in panels(document):
        for target in panel.get("targets", []):
            found[f"{panel['title']} ({target['refId']})"] = target["expr"]
    for variable in document.get("templating", {}).get("list", []):
        query = variable.get("query")
        text = query.get("query", "") if isinstance(query, dict) else str(query or "")
        # label_values(metric, label): the metric is PromQL, the label is not.
        text = re.sub(r"label_values\(\s*([^,]+),[^)]*\)", r"\1", text)
        found[f"variable {variable['name']}"] = text
    return found


def exported(scrape: str) -> set[str]:
    """The sample names a ``/metrics`` page offers, each family's by its type even before it
    has a sample (a labelled metric nobody has set yet)."""
    names: set[str] = set()
    for family in text_string_to_metric_families(scrape):
        names |= {sample.name for sample in family.samples}
        base = family.name.removesuffix("_total") if family.type == "counter" else family.name
        names |= {base + suffix for suffix in SUFFIXES.get(family.type, ("",))}
    return names


def test_the_dashboard_is_valid_json_with_panels() -> None:
    document = dashboard()
    assert document["uid"] == "tvers-operations"
    assert document["title"]
    assert [p for p in panels(document) if p["type"] != "row"]


def test_every_panel_has_a_query() -> None:
    for panel in panels(dashboard()):
        if panel["type"] == "row":
            continue
        targets = panel.get("targets", [])
        assert targets, panel["title"]
        for target in targets:
            assert target["expr"].strip(), panel["title"]
            assert metric_names(target["expr"]), f"{panel['title']}: reads no metric"


def test_metric_names_are_read_out_of_promql() -> None:
    expression = (
        'histogram_quantile(0.95, sum by (le, app_name) (rate(tvers_x_bucket{path=~"/a(b)"}'
        "[$__rate_interval]))) / on (job) group_left (instance) sum without (le) "
        '(increase(process_cpu_seconds_total[5m] offset 1h)) > 1e3 and up{job="x"} '
        "or topk(5, max(tvers_y)) unless vector(1)"
    )
    assert metric_names(expression) == {
        "tvers_x_bucket",
        "process_cpu_seconds_total",
        "up",
        "tvers_y",
    }


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest) -> FastAPI:
    """The reporting service on the test's database and NATS (the ``client`` fixture runs it)."""
    return build_app(service_settings(ReportingSettings, database_url, nats_server.url))


@pytest.mark.servers
async def test_every_metric_on_the_dashboard_is_one_a_running_service_exports(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/docs")).status_code == 200  # a request, to be counted
    scrape = await client.get("/metrics")
    assert scrape.status_code == 200
    offered = exported(scrape.text)
    named = {where: metric_names(query) for where, query in queries(dashboard()).items()}
    unknown = {where: sorted(names - offered) for where, names in named.items() if names - offered}
    assert unknown == {}
    assert "tvers_http_requests_total" in offered  # what the check compares against is real
    # And the other way round: every tvers metric the services export is on the dashboard.
    shown = set().union(*named.values())
    families = {family.name for family in text_string_to_metric_families(scrape.text)}
    missing = [
        family
        for family in sorted(families)
        if family.startswith("tvers_")
        and not family.endswith("_created")  # when a series began: nothing to watch
        and not any(name.startswith(family) for name in shown)
    ]
    assert missing == []
