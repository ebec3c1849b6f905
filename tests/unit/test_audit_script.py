"""`make audit`'s verdict on pip-audit's report: a known vulnerability fails CI, a service out of reach
(pip-audit then says "No known vulnerabilities found" having checked nothing) only says so."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit.py"
spec = importlib.util.spec_from_file_location("audit_script", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def report(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails_the_build():
    lines, code = audit.verdict(report(
        {"name": "requests", "version": "2.0.0", "vulns": [{"id": "PYSEC-2014-13", "fix_versions": ["2.3.0"]}]},
        {"name": "flask", "version": "3.1.0", "vulns": []}), "", 1)
    assert code == 1
    assert lines == ["requests==2.0.0: PYSEC-2014-13 (fixed in: 2.3.0)",
                     "pip-audit: 2 pins audited, 1 with known vulnerabilities"]


def test_a_service_that_knows_none_of_the_pins_is_unreachable_not_a_pass():
    skipped = "Dependency not found on PyPI and could not be audited: flask (3.1.0)"
    lines, code = audit.verdict(report({"name": "flask", "version": "3.1.0", "skip_reason": skipped}), "", 0)
    assert code == 0 and lines[0].startswith("pip-audit: vulnerability service unreachable")


def test_no_network_at_all_does_not_fail_the_build():
    error = "requests.exceptions.ConnectionError: Max retries exceeded with url: /v1/query"
    lines, code = audit.verdict("", f"Traceback (most recent call last):\n{error}\n", 1)
    assert code == 0 and lines == [f"pip-audit: vulnerability service unreachable ({error}); the lock was not audited"]


def test_any_other_failure_of_pip_audit_fails_the_build():
    lines, code = audit.verdict("", "ERROR: invalid requirement: 'flask=='\n", 1)
    assert code == 1 and "invalid requirement" in lines[0]
