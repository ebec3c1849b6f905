"""The reference set this process computes with, and the one way to replace it.

`load_units()`, `load_agencies()`, `load_catalogue()` and the calendar's official years all read the
current `ReferenceSet`. Until a process installs one, the first question builds it from the shipped
files and the directories named in the environment (MOTCUA_REFERENCE_DIR, MOTCUA_CALENDAR_DIR), so
scripts and tests compute with the same data as the services. A service installs at start
(`service.install_calendar`), then whenever a newer imported set reaches it (`store.py`).

`install` swaps the whole set at once under a lock: a request that already took the directory keeps
computing with it; the next call gets the new one. An imported set replaces the current one only when
its sequence is higher (an older set arriving late never wins); the same version twice changes nothing.
"""
from __future__ import annotations

import logging
import os
import threading

from .sets import ReferenceSet, from_directory

log = logging.getLogger("motcua.reference")

DIRECTORY_VARIABLE = "MOTCUA_REFERENCE_DIR"
CALENDAR_DIRECTORY_VARIABLE = "MOTCUA_CALENDAR_DIR"

_lock = threading.Lock()
_current: ReferenceSet | None = None


def current() -> ReferenceSet:
    """The set in use; built from the shipped files and the environment's directories on first use."""
    found = _current
    if found is not None:
        return found
    base = from_directory(os.environ.get(DIRECTORY_VARIABLE) or None,
                          os.environ.get(CALENDAR_DIRECTORY_VARIABLE) or None)
    with _lock:
        if _current is None:
            _use(base)
        return _current  # type: ignore[return-value]


def install(new: ReferenceSet, *, force: bool = False) -> bool:
    """Compute with `new` from now on unless the current set is the same version or a later import.

    `force` replaces whatever is in use: a process's start (the base set) and tests restoring it.
    Returns whether the set in use changed.
    """
    with _lock:
        now = _current
        if not force and now is not None:
            if new.sequence < now.sequence or (new.sequence == now.sequence and new.version == now.version):
                return False
            if new.version == now.version:
                # Same content under a later import number (a roll-back re-imported): keep the number.
                _use(new)
                return False
        _use(new)
    log.info("reference_set_installed", extra=new.describe())
    return True


def install_base(base: ReferenceSet) -> None:
    """The set read from the shipped files and the mounted directory, at a process's start. It does not
    replace an imported set already in use (a second runtime built in the same process, as tests do)."""
    with _lock:
        if _current is not None and _current.sequence > 0:
            return
        _use(base)


def _use(new: ReferenceSet) -> None:
    global _current
    from ..workcal.official import use_years

    use_years(new.calendar)
    _current = new
