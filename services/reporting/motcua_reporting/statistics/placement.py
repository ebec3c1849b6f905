"""Where one dossier stands in the Biểu 06 table of one period.

A dossier counts in a period when it was received (accepted at a desk, DVCQG 2) before the
period's end and had not ended before the period's start. It then falls in exactly one "received"
column (online; counter or postal; carried over from an earlier period) and exactly one outcome
column (resolved early, on time or late; in progress within the deadline or overdue at the end of
the period), which is why the Biểu 06 identities hold for every period and every subtree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ..projection.clock import Clock
from .period import Period

RESOLVED = ("early", "on_time", "late")  # the other outcomes are in progress: within_deadline, overdue


class DossierRow(Protocol):
    """A `dossiers` row with aware instants (`statistics.report.Dossier`, or `project`'s output)."""

    channel: str | None
    received_at: datetime | None
    ended_at: datetime | None
    end_class: str | None
    end_due_at: datetime | None
    clock: dict[str, Any]


@dataclass(frozen=True)
class Placement:
    intake: str  # online | counter_postal | carried_over
    outcome: str  # early | on_time | late | within_deadline | overdue

    @property
    def resolved(self) -> bool:
        return self.outcome in RESOLVED

    def figures(self) -> frozenset[str]:
        """The Biểu 06 figures this dossier is one of (the names the drill-down accepts)."""
        group = "resolved" if self.resolved else "in_progress"
        return frozenset({"received.total", f"received.{self.intake}", f"{group}.total", f"{group}.{self.outcome}"})


def place(row: DossierRow, period: Period) -> Placement | None:
    received_at, ended_at = row.received_at, row.ended_at
    if received_at is None or received_at >= period.end:
        return None
    if ended_at is not None and ended_at < period.start:
        return None  # resolved in an earlier period
    if received_at < period.start:
        intake = "carried_over"
    else:
        intake = "online" if row.channel == "online" else "counter_postal"
    if ended_at is not None and ended_at < period.end:
        return Placement(intake, row.end_class)
    overdue = Clock.from_json(row.clock).overdue_at(period.end)
    return Placement(intake, "overdue" if overdue else "within_deadline")


def appointment(row: DossierRow, placement: Placement, period: Period) -> datetime:
    """The appointment the dossier was judged against in this period."""
    if placement.resolved:
        return row.end_due_at
    clock = Clock.from_json(row.clock)
    return clock.due_at(clock.stopped_at(period.end))
