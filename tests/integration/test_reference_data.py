"""Reference data changed without a rebuild reaches every service (issue 16, docs/reference-data.md).

An administrator imports a set at intake with the real command: a procedure's time limit changed, a new
commune with its People's Committee, a new procedure. Intake stores and announces it
(`vn.motcua.reference.changed`) on the real broker; the real workers of routing, notification, postal and
reporting store it and compute with it, a restarted worker too. An invalid set is refused with its report
and changes nothing; the same set twice changes nothing.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest

from motcua_shared.reference.current import install
from motcua_shared.reference.sets import from_directory
from motcua_shared.workcal import WorkingCalendar

from motcua_testing.reference_data import CHANGED_PROCEDURE, NEW_COMMUNE, NEW_PROCEDURE, district_set, write_table
from motcua_testing.waiting import wait_for

CONSUMERS = ("routing", "notification", "postal", "reporting")
REFERENCE_CHANGED = "vn.motcua.reference.changed"


@pytest.fixture(autouse=True)
def shipped_set_afterwards():
    """The test process serves intake's and reporting's APIs: it computes with the shipped set again after."""
    yield
    install(from_directory(None), force=True)


def reference(system, *args: str) -> subprocess.CompletedProcess:
    """The intake command as an administrator runs it, on the system's own settings."""
    return subprocess.run([sys.executable, "-m", "motcua_intake", "reference", *map(str, args)],
                          env={**os.environ, **system.env}, capture_output=True, text=True, timeout=120)


def announced(system) -> list[dict]:
    return [row for row in system.rows("intake", "outbox") if row["event_type"] == REFERENCE_CHANGED]


def receive(system, procedure: str, unit: str) -> dict:
    answer = system.client("intake").post(
        "/api/v1/dossiers", headers=system.auth("receptionist", unit=unit),
        json={"procedure_code": procedure, "channel": "counter", "receiving_unit": unit, "return_method": "counter",
              "applicant": {"full_name": "Lò Thị Mai", "id_number": "014090001235"}})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_reference_data_changed_without_a_rebuild_reaches_every_service(system, tmp_path):
    system.start_workers("intake", "notification", "postal", "reporting",
                         extra_env={"MOTCUA_REFERENCE_REFRESH_SECONDS": "1"})
    # Routing never looks again by itself: it computes with the set it consumed, then the one it loads at start.
    system.start_workers("routing", extra_env={"MOTCUA_REFERENCE_REFRESH_SECONDS": "3600"})

    # An invalid set: the report names the file and line; nothing is stored or announced.
    bad = district_set(tmp_path / "bad")
    write_table(bad, "units.csv", [{"code": "14", "name": "Tỉnh Sơn La", "level": "hamlet", "kind": "tỉnh",
                                    "parent": "", "valid_from": "2004-07-08", "valid_to": "", "successors": "",
                                    "source": "tests"}])
    refused = reference(system, "import", bad)
    assert refused.returncode == 1, refused.stderr
    assert f"{bad / 'units.csv'}:2: unknown level 'hamlet'" in refused.stderr
    assert system.count("intake", "reference_sets") == 0 and announced(system) == []

    good = district_set(tmp_path / "good")
    version = from_directory(good).version
    imported = reference(system, "import", good)
    assert imported.returncode == 0, imported.stderr
    assert f"phiên bản {version}" in imported.stdout
    again = reference(system, "import", good)  # the same set twice changes nothing
    assert again.returncode == 0 and "không thay đổi gì" in again.stdout, again.stderr
    # The administrator's API says the same: the set again is no change, an invalid one is refused with the report.
    intake, admin = system.client("intake"), system.auth("admin", unit="14", sub="province-admin")
    files = {name: (good / name).read_text(encoding="utf-8") for name in
             ("units.csv", "agencies.csv", "procedures.csv", "procedure_documents.csv")}
    same = intake.post("/api/v1/reference/sets", headers=admin, json={"files": files, "label": None})
    assert same.status_code == 200 and same.get_json()["stored"] is False, same.get_json()
    invalid = intake.post("/api/v1/reference/sets", headers=admin,
                          json={"files": {**files, "units.csv": (bad / "units.csv").read_text(encoding="utf-8")},
                                "label": None})
    assert invalid.status_code == 422 and invalid.content_type == "application/problem+json"
    assert invalid.get_json()["code"] == "invalid_reference_set"
    assert {"name": "units.csv:2", "code": "invalid_reference_data", "reason": "unknown level 'hamlet'"} in \
        invalid.get_json()["invalid_params"]
    desk_officer = intake.post("/api/v1/reference/sets", headers=system.auth("admin", unit="04222"),
                               json={"files": files, "label": None})
    assert desk_officer.status_code == 403 and desk_officer.get_json()["code"] == "province_admin_only"
    assert [(row["sequence"], row["version"]) for row in system.rows("intake", "reference_sets")] == [(1, version)]
    assert len(announced(system)) == 1

    def kept_everywhere():
        return all([(row["sequence"], row["version"], row["label"]) for row in system.rows(service, "reference_sets")]
                   == [(1, version, "Sơn La thử nghiệm")] for service in CONSUMERS)

    wait_for(kept_everywhere, timeout=60, what="every service to store the imported set")
    # A restart computes with the stored set, not with the shipped files it was started with.
    system.processes.kill("routing-worker")
    system.processes.restart("routing-worker")

    # Intake (this process: its API) takes the new procedure at the new commune, with the new time limit.
    ready = intake.get("/readyz").get_json()
    assert ready["reference"] == {"version": version, "label": "Sơn La thử nghiệm", "sequence": 1, "origin": "import"}
    assert intake.get("/api/v1/reference", headers=admin).get_json() == ready["reference"]
    metrics = system.client("intake").get("/metrics").get_data(as_text=True)
    assert f'motcua_reference_version_info{{label="Sơn La thử nghiệm",sequence="1",service="intake",version="{version}"}} 1.0' in metrics
    calendar = WorkingCalendar()
    new = receive(system, NEW_PROCEDURE, NEW_COMMUNE)
    received_at = datetime.fromisoformat(new["received_at"])
    assert datetime.fromisoformat(new["due_at"]) == calendar.add(received_at, 2, "working_days")
    changed = receive(system, CHANGED_PROCEDURE, "04222")
    assert datetime.fromisoformat(changed["due_at"]) == calendar.add(datetime.fromisoformat(changed["received_at"]),
                                                                     5, "working_days")

    # Routing (the restarted worker) plans the new procedure's route at the new commune.
    step = wait_for(lambda: next((s for s in system.rows("routing", "route_steps")
                                  if s["dossier_code"] == new["code"] and s["status"] == "assigned"), None),
                    timeout=60, what="routing to assign the new procedure's first step")
    assert step["unit"] == NEW_COMMUNE
    route = wait_for(lambda: next((r for r in system.rows("routing", "dossier_routes")
                                   if r["dossier_code"] == changed["code"]), None),
                     timeout=60, what="routing to plan the changed procedure's route")
    assert route["due_at"] == datetime.fromisoformat(changed["due_at"])

    # Reporting counts it under the new commune.
    day = received_at.astimezone(calendar.tz).date().isoformat()

    def counted():
        answer = system.client("reporting").get(f"/api/v1/reports/summary?from={day}&to={day}&unit={NEW_COMMUNE}",
                                                headers=system.auth("leader", unit=NEW_COMMUNE))
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        return body if body["received"]["total"] == 1 else None

    wait_for(counted, timeout=60, what="reporting to count the dossier under the new commune")
    # Every worker logged the set it computes with (notification and postal record the version).
    for service in CONSUMERS:
        assert version in system.processes.procs[f"{service}-worker"].log_path.read_text(encoding="utf-8")
