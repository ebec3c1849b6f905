"""Fuzzing totals: how many requests schemathesis sent to each service, printed once at the end of the
session, so a run (and the issue's report) can say how much hostile input each API has been through."""
from __future__ import annotations

from fuzz.totals import FAILURES, REQUESTS, STATUSES


def pytest_terminal_summary(terminalreporter):
    if not REQUESTS:
        return
    terminalreporter.section("schemathesis fuzzing totals")
    services = sorted({service for service, _ in REQUESTS})
    for service in services:
        positive, negative = REQUESTS[(service, "positive")], REQUESTS[(service, "negative")]
        coverage, failed = REQUESTS[(service, "coverage")], len(FAILURES.get(service, []))
        terminalreporter.write_line(f"{service:<13} {positive + negative + coverage:>6} requests "
                                    f"({positive} valid, {negative} invalid, {coverage} coverage), "
                                    f"{failed} failures")
        answers = ", ".join(f"{status}×{count}" for status, count in sorted(STATUSES[service].items()))
        terminalreporter.write_line(f"{'':<13} answers: {answers}")
    terminalreporter.write_line(f"{'total':<13} {sum(REQUESTS.values()):>6} requests")
