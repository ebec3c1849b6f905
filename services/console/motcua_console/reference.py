"""The console computes with the reference set intake computes with (docs/reference-data.md).

The console has no broker and keeps no reference set in its database: at start it reads the shipped files and
its mounted directory like every service, then follows intake. At most every MOTCUA_REFERENCE_REFRESH_SECONDS,
on a signed-in officer's request and with that officer's token (as every call the console makes), it asks
intake for the version in use (`GET /api/v1/reference`, a few bytes). Only when that differs from its own does
it fetch the files (`GET /api/v1/reference/files`), check them as a consumer of `vn.motcua.reference.changed`
does (the content against the version, then every rule) and swap them in through
`motcua_shared.reference.current.install`: the reception checklist, time limits, unit names and the calendar
follow from the next call on, without a restart. Intake is the console's truth, as a service's own database is
the service's: its set is installed whatever the console held before (a roll-back included).

Intake unreachable or refusing, or a set that fails the checks: the console keeps the set it has, says so once
in its log (not at every request), and asks again at the next interval; a refused version is not fetched again
until intake moves to another one.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import Callable

from motcua_shared.reference.current import current, install
from motcua_shared.reference.sets import InvalidReferenceSet, ReferenceSet, verified

log = logging.getLogger("motcua.reference")


class IntakeFollower:
    """Called on every signed-in request; does something at most every `seconds`. Thread-safe: a request that
    finds another one checking goes on at once with the set in use."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds, self._clock = seconds, clock
        self._next = 0.0
        self._lock = threading.Lock()
        self._failing = False
        self._refused: str | None = None

    def __call__(self, intake) -> bool:
        """`intake`: the console's IntakeClient for this request. Returns whether the set in use changed."""
        now = self._clock()
        if now < self._next or not self._lock.acquire(blocking=False):
            return False
        try:
            self._next = now + self._seconds
            return self._follow(intake)
        finally:
            self._lock.release()

    def _follow(self, intake) -> bool:
        try:
            changed = self._check(intake)
        except Exception as exc:  # intake away, refusing, or answering nonsense: keep the set in use
            if not self._failing:
                self._failing = True
                log.warning("reference_follow_failed", extra={
                    "error": type(exc).__name__, "kept": current().version,
                    "detail": "the console keeps its reference set and asks intake again later"})
            return False
        if self._failing:
            self._failing = False
            log.info("reference_follow_resumed", extra={"version": current().version})
        return changed

    def _check(self, intake) -> bool:
        told = intake.reference()
        in_use = current()
        if told["version"] == self._refused:
            return False
        if told["version"] == in_use.version:
            if (told["sequence"], told["label"]) == (in_use.sequence, in_use.label):
                return False
            # The same content imported again (a roll-back): the files are those in use, only the number moved.
            install(dataclasses.replace(in_use, sequence=told["sequence"], label=told["label"],
                                        origin=told["origin"]), force=True)
            return False
        answer = intake.reference_files()
        if answer["version"] == in_use.version:
            return False  # another of intake's processes, not yet on the new set: asked again next time
        try:
            fetched = checked(answer)
        except InvalidReferenceSet as exc:
            self._refused = answer["version"]
            log.error("reference_set_refused", extra={
                "version": answer["version"], "problems": len(exc.problems), "report": str(exc)[:4000],
                "kept": in_use.version})
            return False
        return install(fetched, force=True)


def checked(answer: dict) -> ReferenceSet:
    """intake's `GET /api/v1/reference/files` as a set, checked as a consumer checks an announced one."""
    return verified(answer["files"], answer["version"], label=answer["label"], sequence=answer["sequence"],
                    origin=answer["origin"])
