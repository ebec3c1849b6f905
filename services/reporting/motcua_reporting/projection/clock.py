"""A dossier's deadline clock: the appointment in force at any instant, and when the clock stood still.

The rules (written into the API description too, see `statistics.definitions`):

- The appointment (ngày hẹn trả, `due_at`) is the one on the receipt, moved only by the working
  time of supplement pauses: each `supplement_received` carries the moved appointment, in force
  from that moment. `processed` carries the appointment in force when processing ended.
- An apology (Mẫu 04) does NOT move it. The new date it gives the citizen is a courtesy; the
  Decision 766 rule compares the end of processing with the appointment (`NgayHenTra`) and the
  apology exists because the dossier is late (Decree 61/2018 practice, docs/domain.md §2.4 and §5.3).
  So from the apology on, the appointment used is at most its `original_due_at`, unless a later
  supplement pause moved the appointment again.
- While a supplement is awaited the clock stands still: the moment that counts for a dossier
  stopped at instant t is the start of the open pause, if any (766: a dossier still waiting for a
  supplement uses the request date).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import times


@dataclass(frozen=True, order=True)
class Deadline:
    effective_at: datetime
    due_at: datetime
    moved_by_pause: bool = False  # set by a supplement_received


@dataclass(frozen=True, order=True)
class Pause:
    start: datetime
    end: datetime | None  # None: still waiting for the supplement

    def holds(self, instant: datetime) -> bool:
        return self.start <= instant and (self.end is None or instant < self.end)


@dataclass(frozen=True)
class Apology:
    issued_at: datetime
    original_due_at: datetime


@dataclass(frozen=True)
class Clock:
    deadlines: tuple[Deadline, ...] = ()  # sorted; empty for a dossier never received
    pauses: tuple[Pause, ...] = ()  # sorted
    apology: Apology | None = None

    def due_at(self, instant: datetime) -> datetime:
        """The appointment in force at `instant`."""
        due = self.deadlines[0].due_at
        for deadline in self.deadlines:
            if deadline.effective_at <= instant:
                due = deadline.due_at
        apology = self.apology
        if apology is not None and apology.issued_at <= instant and not any(
                deadline.moved_by_pause and apology.issued_at < deadline.effective_at <= instant
                for deadline in self.deadlines):
            due = min(due, apology.original_due_at)
        return due

    def stopped_at(self, instant: datetime) -> datetime:
        """The moment the clock shows at `instant`: the start of a pause holding then, else `instant`."""
        holding = [pause.start for pause in self.pauses if pause.holds(instant)]
        return min(holding) if holding else instant

    def overdue_at(self, instant: datetime) -> bool:
        """Whether a dossier still in progress at `instant` has passed its appointment."""
        moment = self.stopped_at(instant)
        return moment > self.due_at(moment)

    def paused_between(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The parts of the pauses inside [start, end]."""
        parts = []
        for pause in self.pauses:
            first, last = max(pause.start, start), min(pause.end or end, end)
            if first < last:
                parts.append((first, last))
        return parts

    # -- storage (the `dossiers.clock` JSON column) ---------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "deadlines": [[times.text(d.effective_at), times.text(d.due_at), d.moved_by_pause] for d in self.deadlines],
            "pauses": [[times.text(p.start), times.text(p.end)] for p in self.pauses],
            "apology": None if self.apology is None else [times.text(self.apology.issued_at),
                                                          times.text(self.apology.original_due_at)],
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> "Clock":
        apology = value.get("apology")
        return cls(
            deadlines=tuple(Deadline(times.parse(at), times.parse(due), moved) for at, due, moved in value["deadlines"]),
            pauses=tuple(Pause(times.parse(start), times.parse(end)) for start, end in value["pauses"]),
            apology=None if apology is None else Apology(times.parse(apology[0]), times.parse(apology[1])),
        )
