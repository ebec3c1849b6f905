"""One report: a unit's subtree over a period, and every table and list drawn from it.

The dossiers that can count in the period are read once; each table places them with
`placement.place` and tallies. The list behind a figure filters the same placements.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session

from ..models import dossiers
from ..projection import times
from .attribution import RECEIVING
from .dimensions import DIMENSIONS, mechanism
from .indicators import counts_on_time, has_fee, indicators, is_completed, received_in_period
from .period import Period
from .placement import Placement, place
from .scope import UnitScope
from .tally import FIGURES, Tally

MECHANISMS = ("one_stop", "inter_agency")
# The dossiers an indicator is computed over (its numerator for 2.1, its base for 2.2 and 3.3).
INDICATOR_FIGURES = {
    "indicator.2_1": counts_on_time,
    "indicator.2_2": is_completed,
    "indicator.3_3": lambda _row, placement: received_in_period(placement),
    "indicator.3_6": lambda row, placement: received_in_period(placement) and has_fee(row),
}
DRILLABLE = FIGURES + tuple(INDICATOR_FIGURES)
# Drill-down filters (query parameter → dimension): the row of a breakdown a figure came from.
FILTERS = {"mechanism": "mechanism", "channel": "channel", "level": "level", "procedure": "procedure",
           "sector": "sector", "receiving_unit": "unit", "competent_unit": "competent_unit"}

_INSTANTS = ("received_at", "due_at", "ended_at", "end_due_at")
_FIELDS = ("code", "procedure_code", "procedure_level", "sector", "inter_agency", "channel", "receiving_unit",
           "competent_unit", "paid_online",
           *_INSTANTS, "end_kind", "end_class", "handling_minutes", "supplement_requests", "apologised")


class Dossier:
    """A `dossiers` row as the statistics read it: instants in UTC whatever the database engine gave,
    the clock parsed only when asked for (only dossiers in progress at a period's end need it)."""

    __slots__ = (*_FIELDS, "clock_text")

    def __init__(self, row: Any):
        for name in _FIELDS:
            setattr(self, name, getattr(row, name))
        for name in _INSTANTS:
            setattr(self, name, times.aware(getattr(row, name)))
        self.clock_text = row.clock

    @property
    def clock(self) -> dict:
        return json.loads(self.clock_text)


@dataclass(frozen=True)
class BreakdownRow:
    key: str | None
    label: str
    tally: Tally


class Report:
    def __init__(self, session: Session, scope: UnitScope, period: Period, attribution: str = RECEIVING):
        self.scope = scope
        self.period = period
        self.attribution = attribution
        found = session.execute(
            select(*(dossiers.c[name] for name in _FIELDS), cast(dossiers.c.clock, Text).label("clock"))
            .where(scope.condition(dossiers, attribution), dossiers.c.received_at.is_not(None),
                   dossiers.c.received_at < period.end,
                   or_(dossiers.c.ended_at.is_(None), dossiers.c.ended_at >= period.start))
            .order_by(dossiers.c.received_at, dossiers.c.code))
        self.rows = [Dossier(row) for row in found]

    def placed(self, period: Period | None = None) -> list[tuple[Dossier, Placement]]:
        found = []
        for row in self.rows:
            placement = place(row, period or self.period)
            if placement is not None:
                found.append((row, placement))
        return found

    # -- tables ----------------------------------------------------------------------------------
    def summary(self) -> dict:
        """docs/contracts.md §5: the columns of Biểu 06, in total and by mechanism."""
        total, by_mechanism = Tally(), {name: Tally() for name in MECHANISMS}
        for row, placement in self.placed():
            total.add(placement)
            by_mechanism[mechanism(row)].add(placement)
        return {**total.groups(), **{name: tally.groups() for name, tally in by_mechanism.items()}}

    def breakdown(self, by: str, placed: list | None = None) -> tuple[list[BreakdownRow], Tally]:
        dimension = DIMENSIONS[by]
        tallies: dict[str | None, Tally] = defaultdict(Tally)
        total = Tally()
        for row, placement in self.placed() if placed is None else placed:
            tallies[dimension.key(row)].add(placement)
            total.add(placement)
        rows = [BreakdownRow(key, dimension.label(key, self.scope.as_of), tally)
                for key, tally in sorted(tallies.items(), key=lambda item: dimension.order(item[0]))]
        return rows, total

    def indicators(self) -> dict:
        return indicators(self.placed(), self.scope.level, self.period.last_day)

    def trend(self) -> list[tuple[Period, Tally]]:
        months = []
        for month in self.period.months():
            tally = Tally()
            for _row, placement in self.placed(month):
                tally.add(placement)
            months.append((month, tally))
        return months

    # -- the dossiers behind a figure --------------------------------------------------------------
    def dossiers(self, figure: str, filters: dict[str, str]) -> list[tuple[Dossier, Placement]]:
        """The dossiers counted in `figure`, within the breakdown rows named by `filters` (dimension → key)."""
        if figure in INDICATOR_FIGURES:
            wanted = INDICATOR_FIGURES[figure]
        else:
            def wanted(_row, placement):
                return figure in placement.figures()
        keys = {name: DIMENSIONS[name].key for name in filters}
        return [(row, placement) for row, placement in self.placed()
                if wanted(row, placement) and all(keys[name](row) == value for name, value in filters.items())]
