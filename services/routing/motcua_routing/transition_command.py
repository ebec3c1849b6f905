"""`python -m motcua_routing transition`: hand the dossiers in progress on 01/07/2025 over to the
successor agencies now (transition.py), checking every open route received before that day again.

The deadline sweep of every worker does the same by itself from 01/07/2025 00:00; the command is for
an administrator who wants it done (and reported) at once, e.g. after importing old dossiers still
open. Running it twice changes nothing the second time. Exit status 0 when every step found a
successor, 1 when some did not (listed), 2 when the service clock is before 01/07/2025.
"""
from __future__ import annotations

import argparse

import sys

from motcua_shared import logs
from motcua_shared.progress import Bar
from motcua_shared.service import Runtime

from . import clock, transition
from .service import SPEC


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="motcua-routing transition", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    runtime = Runtime(SPEC)
    # The JSON log lines would break the progress bar (standard error): only warnings and errors.
    logs.configure(SPEC.name, "transition", "WARNING")
    try:
        now = clock.now(runtime.settings)
        if now < transition.TRANSITION_AT:
            print(f"nothing to do before {transition.TRANSITION_AT.isoformat()} (service clock {now.isoformat()})")
            return 2
        bar = Bar(sys.stderr, "Chuyển giao hồ sơ 01/07/2025", transition.count_candidates(runtime.sessions),
                  unit="tuyến")
        try:
            summary = transition.run(runtime, runtime.sessions, now, everything=True, on_route=bar.update)
        finally:
            bar.close()
    finally:
        runtime.close()
    print(f"routes checked: {summary.checked}; routes handed over: {summary.routes_handed_over}; "
          f"steps handed over: {summary.steps_handed_over}; steps without a successor: {len(summary.unresolved)}")
    for dossier_code, sequence, why in summary.unresolved:
        print(f"  {dossier_code} step {sequence}: {why}")
    return 1 if summary.unresolved else 0
