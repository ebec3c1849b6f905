"""Failpoints: named places where a test can make the process die on purpose.

`MOTCUA_FAILPOINTS=consumer.after_commit:3` makes the third pass through that point end the process
with SIGKILL-like abruptness (os._exit, no cleanup, no ack, no flush), which is how the failure
tests prove that a crash between two steps loses nothing and repeats nothing. Unset in production,
where `failpoint()` costs one dictionary lookup.
"""
from __future__ import annotations

import os

_counts: dict[str, int] = {}


def _armed() -> dict[str, int]:
    armed = {}
    for item in os.environ.get("MOTCUA_FAILPOINTS", "").split(","):
        if item.strip():
            name, _, nth = item.strip().partition(":")
            armed[name] = int(nth or 1)
    return armed


_ARMED = _armed()


def failpoint(name: str) -> None:
    nth = _ARMED.get(name)
    if nth is None:
        return
    _counts[name] = _counts.get(name, 0) + 1
    if _counts[name] == nth:
        os.write(2, f"failpoint {name} hit, exiting\n".encode())
        os._exit(137)
