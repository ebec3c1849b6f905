"""Rebuild every projection from the event store, as a background job in resumable chunks
(motcua_shared.jobs; `POST /api/v1/admin/projections/rebuild`, `python -m motcua_reporting rebuild`).

A district's history is too long for one transaction under a request's time-out, so the rebuild works
in the `rebuild_*` tables and touches the live projections only at its end:

1. `start`: empty the work tables; apply the calendar changes kept in the store to reporting's calendar
   copy (changes already kept are kept again, harmlessly): handling times are measured with it.
2. `events`: the lifecycle events and imported parts, in store order (stored_at, event_id), a chunk at a
   time, become timeline entries in `rebuild_timeline`; each event taken in is noted in `rebuild_seen`.
3. `dossiers`: the dossiers, by code a chunk at a time, are projected from their whole timelines into
   `rebuild_dossiers`.
4. `swap`, one transaction: the projection tables are locked (on PostgreSQL; SQLite serialises writers
   anyway); the events committed since step 2 read past them (found by difference with `rebuild_seen`,
   whatever their place in the store) are taken in and their dossiers projected again; the counters are
   counted; the live projections are replaced by the work tables' rows, which are emptied.

A delivery handled during steps 1-3 writes the live tables as usual (reports stay current) and is in
the store, so step 4 takes it in. One handled during step 4 waits for the lock (its event is not yet
committed in the store, so step 4 does not see it) and then applies its event on top of the new rows:
nothing is lost or counted twice. The tables are locked in the order the consumer's handler first writes
them (counters, timeline, dossiers), so the two never wait for each other in a circle.

Each chunk commits its slice together with the job's checkpoint: an interrupted rebuild resumes from
the checkpoint and ends with the rows an uninterrupted one gives. The live consumer and the rebuild
share `entry_from_event`, `imported.entries` and `dossier.project`. An entry is kept once by its id,
also when intake published a part again after a crash (another envelope, the same inner events).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

from sqlalchemy import delete, func, insert, select, text, tuple_
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert
from motcua_shared.events.catalogue.calendar import CALENDAR_CHANGED
from motcua_shared.events.catalogue.history import HISTORY_IMPORTED
from motcua_shared.jobs import Chunk

from ..models import (counters, dossier_timeline, dossiers, event_store, rebuild_dossiers, rebuild_seen,
                      rebuild_timeline)
from . import dossier, imported, store
from .timeline import LIFECYCLE_TYPES, Entry, entry_from_event

KIND = "projections.rebuild"
# Events per chunk; a part holds hundreds of dossiers (a few hundred kilobytes), so fewer of those.
EVENTS_PER_CHUNK = 5000
PARTS_PER_CHUNK = 20
DOSSIERS_PER_CHUNK = 1000
# Rows per INSERT page (PostgreSQL takes at most 65,535 parameters in a statement).
PAGE = 2000
_TYPES = sorted(LIFECYCLE_TYPES | {HISTORY_IMPORTED})


def step(session: Session, params: dict, checkpoint: dict | None) -> Chunk:
    """One chunk of the rebuild (motcua_shared.jobs.Step)."""
    if checkpoint is None:
        return _start(session)
    if checkpoint["stage"] == "events":
        return _events(session, checkpoint)
    if checkpoint["stage"] == "dossiers":
        return _dossiers(session, checkpoint)
    return _swap(session, checkpoint)


def _start(session: Session) -> Chunk:
    for table in (rebuild_timeline, rebuild_dossiers, rebuild_seen):
        session.execute(delete(table))
    for (data,) in session.execute(select(event_store.c.data).where(event_store.c.type == CALENDAR_CHANGED)
                                   .order_by(event_store.c.stored_at, event_store.c.event_id)):
        store.apply_calendar_change(session, data)
    events = session.execute(select(func.count()).select_from(event_store)
                             .where(event_store.c.type.in_(_TYPES))).scalar_one()
    checkpoint = {"stage": "events", "after": None, "events": events, "taken": 0,
                  "began": datetime.now(timezone.utc).isoformat()}
    return Chunk(done=0, total=events, checkpoint=checkpoint, stage="events")


def _events(session: Session, checkpoint: dict) -> Chunk:
    # The keys first (light), cut where the chunk's weight is reached, then the data of those events.
    query = (select(event_store.c.event_id, event_store.c.type, event_store.c.stored_at)
             .where(event_store.c.type.in_(_TYPES)).order_by(event_store.c.stored_at, event_store.c.event_id)
             .limit(EVENTS_PER_CHUNK))
    if checkpoint["after"] is not None:
        stored_at, event_id = checkpoint["after"]
        query = query.where(tuple_(event_store.c.stored_at, event_store.c.event_id)
                            > tuple_(datetime.fromisoformat(stored_at), event_id))
    keys, weight = [], 0
    for key in session.execute(query):
        keys.append(key)
        weight += EVENTS_PER_CHUNK // PARTS_PER_CHUNK if key.type == HISTORY_IMPORTED else 1
        if weight >= EVENTS_PER_CHUNK:
            break
    rows, ids = [], [key.event_id for key in keys]
    for first in range(0, len(ids), store.KEYS):
        rows += session.execute(select(event_store.c.event_id, event_store.c.type, event_store.c.data)
                                .where(event_store.c.event_id.in_(ids[first:first + store.KEYS]))).all()
    _take_in(session, rows)
    taken = checkpoint["taken"] + len(rows)
    total = max(checkpoint["events"], taken)
    if keys and weight >= EVENTS_PER_CHUNK:
        last = keys[-1]
        after = [last.stored_at.isoformat(), last.event_id]
        return Chunk(done=taken, total=total, stage="events",
                     checkpoint={**checkpoint, "after": after, "taken": taken, "events": total})
    # Every event up to now is in: the dossiers next, counted for the progress.
    codes = session.execute(select(func.count(func.distinct(rebuild_timeline.c.code)))).scalar_one()
    return Chunk(done=taken, total=taken + codes, stage="dossiers",
                 checkpoint={**checkpoint, "stage": "dossiers", "taken": taken, "events": taken, "codes": codes,
                             "code": None, "projected": 0})


def _dossiers(session: Session, checkpoint: dict) -> Chunk:
    query = select(rebuild_timeline.c.code).distinct().order_by(rebuild_timeline.c.code).limit(DOSSIERS_PER_CHUNK)
    if checkpoint["code"] is not None:
        query = query.where(rebuild_timeline.c.code > checkpoint["code"])
    codes = session.execute(query).scalars().all()
    _project(session, codes)
    projected = checkpoint["projected"] + len(codes)
    total = checkpoint["taken"] + max(checkpoint["codes"], projected)
    if len(codes) == DOSSIERS_PER_CHUNK:
        return Chunk(done=checkpoint["taken"] + projected, total=total, stage="dossiers",
                     checkpoint={**checkpoint, "code": codes[-1], "projected": projected})
    return Chunk(done=checkpoint["taken"] + projected, total=total, stage="swap",
                 checkpoint={**checkpoint, "stage": "swap", "projected": projected})


def _swap(session: Session, checkpoint: dict) -> Chunk:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE counters, dossier_timeline, dossiers IN EXCLUSIVE MODE"))
    late = session.execute(
        select(event_store.c.event_id, event_store.c.type, event_store.c.data)
        .where(event_store.c.type.in_(_TYPES))
        .where(~select(rebuild_seen.c.event_id).where(rebuild_seen.c.event_id == event_store.c.event_id).exists())
    ).all()
    _project(session, sorted(_take_in(session, late)), replace=True)

    by_type = session.execute(select(event_store.c.type, func.count()).group_by(event_store.c.type)).all()
    for table in (counters, dossier_timeline, dossiers):
        session.execute(delete(table))
    if by_type:
        session.execute(insert(counters), [{"name": name, "value": value} for name, value in by_type])
    session.execute(insert(dossier_timeline).from_select([c.name for c in rebuild_timeline.c],
                                                         select(rebuild_timeline)))
    session.execute(insert(dossiers).from_select([c.name for c in rebuild_dossiers.c], select(rebuild_dossiers)))
    entries = session.execute(select(func.count()).select_from(rebuild_timeline)).scalar_one()
    rows = session.execute(select(func.count()).select_from(rebuild_dossiers)).scalar_one()
    for table in (rebuild_timeline, rebuild_dossiers, rebuild_seen):
        session.execute(delete(table))
    seconds = (datetime.now(timezone.utc) - datetime.fromisoformat(checkpoint["began"])).total_seconds()
    result = {"events": sum(value for _name, value in by_type), "timeline_entries": entries, "dossiers": rows,
              "seconds": round(seconds, 3)}
    done = checkpoint["taken"] + len(late) + checkpoint["projected"]
    return Chunk(done=done, total=done, checkpoint=None, stage="done", finished=True, result=result)


def _take_in(session: Session, rows) -> set[str]:
    """The events' entries into the work timeline (an id already there is skipped), the events noted as
    taken in; the codes of the dossiers that got an entry."""
    entries: dict[str, Entry] = {}
    for row in rows:
        if row.type == HISTORY_IMPORTED:
            found = imported.entries(row.data)
        else:
            entry = entry_from_event(row.event_id, row.type, row.data)
            found = [entry] if entry is not None else []
        for entry in found:
            entries.setdefault(entry.event_id, entry)
    insert_ = dialect_insert(session)
    values = [entry.as_row() for entry in entries.values()]
    for first in range(0, len(values), PAGE):
        session.execute(insert_(rebuild_timeline).on_conflict_do_nothing(index_elements=["event_id"]),
                        values[first:first + PAGE])
    seen = [{"event_id": row.event_id} for row in rows]
    for first in range(0, len(seen), PAGE):
        session.execute(insert_(rebuild_seen).on_conflict_do_nothing(index_elements=["event_id"]),
                        seen[first:first + PAGE])
    return {entry.code for entry in entries.values()}


def _project(session: Session, codes, *, replace: bool = False) -> None:
    if not codes:
        return
    timelines: dict[str, list[Entry]] = defaultdict(list)
    for first in range(0, len(codes), store.KEYS):
        for row in session.execute(select(rebuild_timeline)
                                   .where(rebuild_timeline.c.code.in_(codes[first:first + store.KEYS]))):
            timelines[row.code].append(Entry.from_row(row))
    calendar = store.calendar(session)
    rows = [dossier.project(code, timelines[code], calendar=calendar) for code in codes]
    if replace:
        for first in range(0, len(codes), store.KEYS):
            chunk = codes[first:first + store.KEYS]
            session.execute(delete(rebuild_dossiers).where(rebuild_dossiers.c.code.in_(chunk)))
    for first in range(0, len(rows), PAGE):
        session.execute(insert(rebuild_dossiers), rows[first:first + PAGE])


def run_to_end(sessions) -> dict:
    """Every chunk in turn, each in its own transaction, without a job (the benchmarks): the figures."""
    checkpoint = None
    while True:
        with sessions.begin() as session:
            chunk = step(session, {}, checkpoint)
        if chunk.finished:
            return chunk.result
        checkpoint = chunk.checkpoint
