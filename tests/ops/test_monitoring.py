"""Alert rules and the dashboard hold up: promtool validates and unit-tests the
rules, each alert has a runbook, and every metric a rule or a panel reads is
one a running server actually exports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import yaml
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from syncwatch.http.health_routes import DEGRADABLE
from syncwatch.services import Services
from tests.support.databases import service_missing

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"
GRAFANA = ROOT / "deploy" / "grafana"
RULES = PROMETHEUS / "alerts.yml"
RULE_TESTS = PROMETHEUS / "alerts.test.yml"
DASHBOARD = GRAFANA / "dashboards" / "syncwatch.json"

# Series Prometheus makes itself rather than scraping them.
PROMETHEUS_OWN = {"up"}
# Labels Prometheus attaches to every scraped series.
TARGET_LABELS = {"instance", "job"}
_METRIC_NAME = re.compile(r"\b(?:syncwatch|process)_[a-z0-9_]+\b")
_SELECTOR = re.compile(r"\b((?:syncwatch|process)_[a-z0-9_]+)\{([^}]*)\}")
_MATCHER = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")
_GROUPING = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        service_missing("promtool is not installed (Debian package prometheus)")
    assert found is not None
    return found


def alert_rules() -> list[dict[str, object]]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    return [target["expr"] for panel in panels for target in panel.get("targets", [])]


def metric_names(expressions: list[str]) -> set[str]:
    names: set[str] = set()
    for expression in expressions:
        names |= set(_METRIC_NAME.findall(expression))
    return names


def test_promtool_accepts_the_rules() -> None:
    result = subprocess.run(
        [promtool(), "check", "rules", str(RULES)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout


def test_promtool_unit_tests_of_the_alerts_pass() -> None:
    result = subprocess.run(
        [promtool(), "test", "rules", RULE_TESTS.name],
        cwd=PROMETHEUS,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_alert_is_seen_firing_and_silent_and_has_a_runbook() -> None:
    incidents = (ROOT / "docs" / "ops" / "incidents.md").read_text()
    cases: dict[str, list[list[object]]] = {}
    for test in yaml.safe_load(RULE_TESTS.read_text())["tests"]:
        for case in test.get("alert_rule_test", []):
            cases.setdefault(case["alertname"], []).append(case["exp_alerts"])
    for rule in alert_rules():
        name = str(rule["alert"])
        expected = cases.get(name, [])
        assert any(expected), f"{name} is never shown firing"
        assert any(not alerts for alerts in expected), f"{name} is never shown silent"
        annotations = rule["annotations"]
        assert isinstance(annotations, dict)
        runbook = ROOT / annotations["runbook"]
        assert runbook.exists(), f"{name} links a missing runbook {runbook}"
        assert name in runbook.read_text(), f"{runbook.name} does not name {name}"
        severity = rule["labels"]["severity"]  # type: ignore[index]
        row = f"| {name} | {severity} | [{runbook.name}](runbooks/{runbook.name}) |"
        assert row in incidents, f"docs/ops/incidents.md lacks the row {row}"


def test_not_ready_leaves_out_exactly_the_checks_readiness_survives() -> None:
    """SyncWatchNotReady says /health/ready answers 503: true for every check but the
    degradable ones (readiness stays 200, "degraded"), which have an alert of their own."""
    rules = {str(rule["alert"]): rule for rule in alert_rules()}
    not_ready = str(rules["SyncWatchNotReady"]["expr"])
    assert "503" in str(rules["SyncWatchNotReady"]["annotations"])
    for check in sorted(DEGRADABLE):
        assert f'check!="{check}"' in not_ready, f"NotReady fires on {check}, which stays 200"
        degraded = [
            rule
            for rule in rules.values()
            if f'syncwatch_readiness_check_up{{check="{check}"}}' in str(rule["expr"])
        ]
        assert degraded, f"no alert says the {check} check fails"
        for rule in degraded:
            assert "503" not in str(rule["annotations"])
            assert "200" in str(rule["annotations"])


def test_the_spec_alerts_are_all_there() -> None:
    """Spec 8.5 and issue 13: drift, command latency, ICE failures, TURN usage,
    transcode queue age and failures, readiness and error rate."""
    expressions = " ".join(str(rule["expr"]) for rule in alert_rules())
    for metric in (
        "syncwatch_playback_drift_ms_bucket",
        "syncwatch_sync_command_latency_ms_bucket",
        "syncwatch_ice_failures_total",
        "syncwatch_turn_usage_percent",
        "syncwatch_transcoding_queue_length",
        "syncwatch_transcoding_queue_oldest_age_seconds",
        "syncwatch_transcoding_failures_total",
        "syncwatch_readiness_check_up",
        "syncwatch_http_requests_total",
    ):
        assert metric in expressions, f"no alert reads {metric}"


def test_compose_loads_the_rules_and_provisions_the_dashboard() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    prometheus = compose["services"]["prometheus"]
    mounted = {volume.split(":")[1]: volume.split(":")[0] for volume in prometheus["volumes"]}
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    for rule_file in config["rule_files"]:
        assert rule_file in mounted, f"prometheus.yml names {rule_file}, compose does not mount it"
        assert (ROOT / mounted[rule_file]).resolve() == RULES
    grafana = compose["services"]["grafana"]
    grafana_mounts = {volume.split(":")[0] for volume in grafana["volumes"]}
    assert "./deploy/grafana/dashboards" in grafana_mounts
    assert "./deploy/grafana/provisioning" in grafana_mounts
    datasource = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )["datasources"][0]
    panels = json.loads(DASHBOARD.read_text())["panels"]
    used = {panel["datasource"]["uid"] for panel in panels if "datasource" in panel}
    assert used == {datasource["uid"]}


async def test_every_metric_a_rule_or_panel_reads_is_exported(http: httpx.AsyncClient) -> None:
    wanted = metric_names([str(rule["expr"]) for rule in alert_rules()])
    wanted |= metric_names(dashboard_expressions())
    await http.get("/health/live")
    exposition = (await http.get("/metrics")).text
    exported: set[str] = set()
    for family in text_string_to_metric_families(exposition):
        exported.add(family.name)
        if family.type == "counter":
            exported.add(f"{family.name}_total")
        if family.type == "histogram":
            exported |= {f"{family.name}_{suffix}" for suffix in ("bucket", "count", "sum")}
        exported |= {sample.name for sample in family.samples}
    missing = sorted(wanted - exported - PROMETHEUS_OWN)
    assert not missing, f"used by rules or panels but not exported: {missing}"
    assert len(wanted) > 20


def exported_label_names(registry: CollectorRegistry) -> dict[str, set[str]]:
    """Each sample name the registry exports, with its label names. A labelled metric
    exports no sample before its first use, so they come from the metrics themselves
    (prometheus_client has no public way to list them)."""
    found: dict[str, set[str]] = {}
    for collector, names in registry._collector_to_names.items():
        labels = set(getattr(collector, "_labelnames", ()))
        for name in names:
            found[name] = labels | ({"le"} if name.endswith("_bucket") else set())
    return found


async def test_every_label_a_rule_or_panel_filters_or_groups_by_is_one_the_metric_has(
    http: httpx.AsyncClient, services: Services
) -> None:
    """A rule that filters on a label its metric lacks matches nothing and never fires."""
    assert (await http.get("/metrics")).status_code == 200  # every component registered
    labels = exported_label_names(services.metrics.registry)
    expressions = [str(rule["expr"]) for rule in alert_rules()] + dashboard_expressions()
    wrong: list[str] = []
    for expression in expressions:
        metrics = set(_METRIC_NAME.findall(expression)) - PROMETHEUS_OWN
        for metric, matchers in _SELECTOR.findall(expression):
            unknown = set(_MATCHER.findall(matchers)) - TARGET_LABELS - labels.get(metric, set())
            wrong += [f"{metric} has no label {label!r}: {expression}" for label in unknown]
        available = set().union(*(labels.get(metric, set()) for metric in metrics))
        for grouping in _GROUPING.findall(expression):
            unknown = {part.strip() for part in grouping.split(",")} - TARGET_LABELS - available
            wrong += [f"no metric here has a label {label!r}: {expression}" for label in unknown]
    assert not wrong, "\n".join(wrong)


async def test_readiness_and_queue_gauges_are_current_at_each_scrape(
    http: httpx.AsyncClient, services: object
) -> None:
    text = (await http.get("/metrics")).text
    dialect = services.db.dialect  # type: ignore[attr-defined]
    assert "syncwatch_ready 1.0" in text
    assert f'syncwatch_readiness_check_up{{check="{dialect}"}} 1.0' in text
    assert 'syncwatch_readiness_check_up{check="storage"} 1.0' in text
    assert "syncwatch_transcoding_queue_length 0.0" in text
    assert "syncwatch_transcoding_queue_oldest_age_seconds 0.0" in text
    assert re.search(r'syncwatch_build_info\{version="[^"]+"\} 1\.0', text)
