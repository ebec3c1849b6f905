"""deploy/prometheus and deploy/grafana, checked with promtool (scripts/install-promtool.sh in CI):
the configuration and the rules parse, each alert fires on the series it watches and on no other
(deploy/prometheus/alerts.test.yml), each names its runbook section, and every metric an alert or
the dashboard reads is one some motcua process really exports."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from prometheus_client import REGISTRY
from sqlalchemy import create_engine

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"
GRAFANA = ROOT / "deploy" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "motcua.json"
OPERATIONS = ROOT / "docs" / "operations.md"
METRIC = re.compile(r"\b(motcua_[a-z0-9_]+)\b")


@pytest.fixture(scope="module")
def promtool() -> str:
    found = shutil.which("promtool")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("promtool not found: CI installs it with scripts/install-promtool.sh")
    pytest.skip("promtool not installed (bash scripts/install-promtool.sh)")


def run(promtool: str, *args: str) -> str:
    done = subprocess.run([promtool, *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def alerts() -> list[dict]:
    return [rule for group in yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"]
            for rule in group["rules"]]


def dashboard_queries() -> list[str]:
    board = json.loads(DASHBOARD.read_text())
    return [target["expr"] for panel in board["panels"] for target in panel.get("targets", [])]


def test_the_configuration_and_the_rules_are_valid(promtool):
    assert "SUCCESS" in run(promtool, "check", "config", "prometheus.yml")
    assert "SUCCESS" in run(promtool, "check", "rules", "alerts.yml")


def test_each_alert_fires_on_its_series_and_not_otherwise(promtool):
    assert "SUCCESS" in run(promtool, "test", "rules", "alerts.test.yml")
    # Every alert has a case where it fires and a case where it must not.
    tests = yaml.safe_load((PROMETHEUS / "alerts.test.yml").read_text())["tests"]
    cases = [case for test in tests for case in test["alert_rule_test"]]
    for rule in alerts():
        mine = [case for case in cases if case["alertname"] == rule["alert"]]
        assert any(case["exp_alerts"] for case in mine), f"{rule['alert']} is never shown to fire"
        assert any(not case["exp_alerts"] for case in mine), f"{rule['alert']} is never shown to stay quiet"


def test_the_dashboard_queries_are_valid_promql(promtool, tmp_path):
    # promtool has no offline query check; a recording rule per query makes `check rules` parse them.
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{i}", "expr": expr} for i, expr in enumerate(dashboard_queries())]}]}
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump(rules))
    assert "SUCCESS" in run(promtool, "check", "rules", str(path))


def test_each_alert_explains_itself_and_its_runbook_section_exists():
    anchors = {re.sub(r"[^a-z0-9 -]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
               for line in OPERATIONS.read_text().splitlines() if line.startswith("#")}
    for rule in alerts():
        notes = rule["annotations"]
        assert notes["summary"] and notes["description"], rule["alert"]
        page, _, anchor = notes["runbook"].partition("#")
        assert page == "docs/operations.md" and anchor in anchors, (rule["alert"], notes["runbook"])


def test_the_dashboard_is_grafana_json_on_the_provisioned_data_source():
    board = json.loads(DASHBOARD.read_text())
    assert board["uid"] and board["title"] and board["schemaVersion"] >= 36
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    source = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text())
    uid = source["datasources"][0]["uid"]
    for panel in board["panels"]:
        assert {"h", "w", "x", "y"} <= panel["gridPos"].keys() and panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        for target in panel.get("targets", []):
            assert target["datasource"]["uid"] == uid, panel["title"]
    provider = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "motcua.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"


def exported_names(tmp_path) -> set[str]:
    """The sample names motcua's processes export: the registries of the worker (messaging, the
    notification's providers), of the APIs (HTTP), and the collectors an API runs at scrape time."""
    import motcua_notification.delivery.metrics  # noqa: F401 (registers the notification's metrics)
    import motcua_shared.web.metrics as web_metrics
    from motcua_shared.messaging import metrics as messaging_metrics
    from motcua_shared.messaging.outbox import OutboxStore
    from motcua_shared.messaging.tables import outbox_table
    from motcua_shared.db import new_metadata
    from motcua_shared.reference.metrics import ReferenceVersionCollector

    metadata = new_metadata()
    table = outbox_table(metadata)
    engine = create_engine(f"sqlite:///{tmp_path / 'outbox.db'}")
    metadata.create_all(engine)
    families = [*REGISTRY.collect(), *messaging_metrics.WORKER_ONLY.collect(),
                *web_metrics.OutboxLagCollector("intake", OutboxStore(engine, table, relay_id="t")).collect(),
                *web_metrics.ReadinessCollector("intake", lambda: {"database": (True, "ok")}).collect(),
                *ReferenceVersionCollector("intake").collect()]
    engine.dispose()
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",), "info": ("_info",)}
    return {family.name + suffix for family in families for suffix in suffixes.get(family.type, ("",))}


def test_every_metric_an_alert_or_the_dashboard_reads_is_exported(tmp_path):
    exported = exported_names(tmp_path)
    used = {name for rule in alerts() for name in METRIC.findall(rule["expr"])}
    used |= {name for expr in dashboard_queries() for name in METRIC.findall(expr)}
    assert used, "no metric found in the rules and the dashboard"
    assert used - exported == set(), f"read but exported by no process: {sorted(used - exported)}"
