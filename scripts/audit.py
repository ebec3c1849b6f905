"""`make audit`: pip-audit over requirements.lock (the exact pins every process and the image run) and
requirements-dev.lock (the test and development tools installed beside them by `make` and CI).

pip-audit asks a vulnerability service on the network (PyPI's JSON API by default) about each pin. The
lock is fully pinned, so nothing is installed or resolved (`--no-deps --disable-pip`). The outcome:

- a known vulnerability in a pin: listed, exit 1 (CI fails: upgrade the pin);
- the service could not be asked, or answered about none of the pins (a machine without internet
  access, or behind a proxy that answers 404 for everything, where pip-audit itself would report
  "No known vulnerabilities found" having checked nothing): "pip-audit: vulnerability service
  unreachable", exit 0, so that a network outage never fails a build; the audit has not been done and
  the message says so;
- otherwise the pins it could not check are listed, and exit 0.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = (ROOT / "requirements.lock", ROOT / "requirements-dev.lock")
UNREACHABLE = "pip-audit: vulnerability service unreachable"
# What pip-audit's errors say when the service cannot be reached at all.
NETWORK_SIGNS = ("ConnectionError", "NameResolutionError", "Max retries exceeded", "timed out", "ServiceError",
                 "Temporary failure in name resolution", "Connection refused")


def main() -> int:
    command = [sys.executable, "-m", "pip_audit", *(arg for lock in LOCKS for arg in ("-r", str(lock))),
               "--no-deps", "--disable-pip", "--format", "json", "--progress-spinner", "off", *sys.argv[1:]]
    done = subprocess.run(command, capture_output=True, text=True)
    lines, code = verdict(done.stdout, done.stderr, done.returncode)
    print("\n".join(lines))
    return code


def verdict(stdout: str, stderr: str, returncode: int) -> tuple[list[str], int]:
    """What to print and the exit code, from pip-audit's JSON report (or its error)."""
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        if any(sign in stderr for sign in NETWORK_SIGNS):
            return [f"{UNREACHABLE} ({_last_line(stderr)}); the lock was not audited"], 0
        return [stderr.rstrip() or f"pip-audit failed with exit code {returncode}"], returncode or 2
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if dependencies and len(skipped) == len(dependencies):
        return [f"{UNREACHABLE}: none of the {len(dependencies)} pins could be looked up "
                f"({skipped[0]['skip_reason']}); the lock was not audited"], 0
    lines = []
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"{dependency['name']}=={dependency['version']}: {vuln['id']} (fixed in: {fixed})")
    lines += [f"not audited: {d['name']}: {d['skip_reason']}" for d in skipped]
    audited = len(dependencies) - len(skipped)
    lines.append(f"pip-audit: {audited} pins audited, {len(vulnerable)} with known vulnerabilities")
    return lines, 1 if vulnerable else 0


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no answer"


if __name__ == "__main__":
    sys.exit(main())
