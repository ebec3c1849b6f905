"""Rebuild every projection from the event store, in one transaction.

The live consumer and the rebuild share `entry_from_event` and `dossier.project`, so the rebuild
gives the rows the consumer wrote, whatever order the events arrived in. On PostgreSQL the
projection tables are locked first: a delivery handled meanwhile waits for the rebuild to commit and
then applies its event on top of it (its event is not yet committed in the store the rebuild
reads, so it is not lost and not counted twice). The tables are locked in the order the consumer's
handler first writes them (counters, timeline, dossiers), so the two never wait for each other in a
circle. SQLite serialises writers anyway.

The parts of a bulk import are stored whole (one `history.imported` each) and re-expanded here into
the entries the consumer wrote for them. An entry is kept once by its id, also when intake published
a part again after a crash (another envelope, the same inner events).
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from motcua_shared.events.catalogue.calendar import CALENDAR_CHANGED
from motcua_shared.events.catalogue.history import HISTORY_IMPORTED

from ..models import counters, dossier_timeline, dossiers, event_store
from . import dossier, imported, store
from .timeline import LIFECYCLE_TYPES, entry_from_event

BATCH = 5000
PARTS_BATCH = 20


@dataclass(frozen=True)
class Rebuilt:
    events: int
    timeline_entries: int
    dossiers: int
    seconds: float

    def as_dict(self) -> dict:
        return {"events": self.events, "timeline_entries": self.timeline_entries, "dossiers": self.dossiers,
                "seconds": round(self.seconds, 3)}


def rebuild(session: Session) -> Rebuilt:
    started = time.perf_counter()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE counters, dossier_timeline, dossiers IN EXCLUSIVE MODE"))
    for table in (dossier_timeline, dossiers, counters):
        session.execute(delete(table))

    by_type = session.execute(select(event_store.c.type, func.count()).group_by(event_store.c.type)).all()
    if by_type:
        session.execute(insert(counters), [{"name": name, "value": value} for name, value in by_type])

    # The calendar copy first (changes already kept are kept again, harmlessly): the handling times
    # below are measured with it.
    for (data,) in session.execute(select(event_store.c.data).where(event_store.c.type == CALENDAR_CHANGED)):
        store.apply_calendar_change(session, data)
    calendar = store.calendar(session)

    timelines = defaultdict(dict)  # code -> event id -> entry
    stored = session.execute(select(event_store.c.event_id, event_store.c.type, event_store.c.data)
                             .where(event_store.c.type.in_(sorted(LIFECYCLE_TYPES)))
                             .execution_options(yield_per=BATCH))
    for event_id, event_type, data in stored:
        entry = entry_from_event(event_id, event_type, data)
        timelines[entry.code][entry.event_id] = entry
    # A part holds hundreds of dossiers (a few hundred kilobytes): a few at a time.
    parts = session.execute(select(event_store.c.data).where(event_store.c.type == HISTORY_IMPORTED)
                            .execution_options(yield_per=PARTS_BATCH))
    for (data,) in parts:
        for entry in imported.entries(data):
            timelines[entry.code][entry.event_id] = entry

    entries = [entry.as_row() for timeline in timelines.values() for entry in timeline.values()]
    rows = [dossier.project(code, timeline.values(), calendar=calendar) for code, timeline in timelines.items()]
    for table, values in ((dossier_timeline, entries), (dossiers, rows)):
        for first in range(0, len(values), BATCH):
            session.execute(insert(table), values[first:first + BATCH])
    return Rebuilt(events=sum(value for _name, value in by_type), timeline_entries=len(entries),
                   dossiers=len(rows), seconds=time.perf_counter() - started)
