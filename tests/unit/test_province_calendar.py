"""A service's copy of the province's calendar: the latest change of a date wins, whatever the order."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from motcua_shared.db import new_metadata
from motcua_shared.province_calendar import CalendarCopy, apply, declared, overrides_table

DAY = date(2026, 12, 1)  # a Tuesday
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def change(kind, at, note="Quyết định của UBND tỉnh"):
    return {"day": DAY, "kind": kind, "note": note if kind else None, "changed_at": at}


def database():
    metadata = new_metadata()
    table = overrides_table(metadata)
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    return table, sessionmaker(engine)


def test_the_latest_change_wins_in_any_order():
    table, sessions = database()
    changes = [change("day_off", T0), change("working_day", T0 + timedelta(minutes=1)),
               change(None, T0 + timedelta(minutes=2))]
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0], [0, 2, 1, 2, 0]):
        with sessions.begin() as session:
            session.execute(table.delete())
            for index in order:
                apply(session, table, changes[index])
            assert declared(session, table) == []  # the removal, the latest, is kept as a tombstone
    with sessions.begin() as session:
        assert apply(session, table, change("day_off", T0 + timedelta(minutes=3))) is True
        assert apply(session, table, change("working_day", T0 + timedelta(minutes=1))) is False
        assert [(o.day, o.kind.value) for o in declared(session, table)] == [(DAY, "day_off")]


def test_the_copy_computes_with_the_declared_days_and_drops_its_cache_when_it_applies_a_change():
    table, sessions = database()
    copy = CalendarCopy(table, cache_seconds=3600)
    with sessions() as session:
        assert copy.calendar(session).is_working_day(DAY)
    with sessions.begin() as session:
        copy.apply(session, change("day_off", T0))
    with sessions() as session:
        assert not copy.calendar(session).is_working_day(DAY)


def test_two_databases_do_not_share_a_cached_calendar(tmp_path):
    metadata = new_metadata()
    table = overrides_table(metadata)
    makers = []
    for name in ("a", "b"):
        engine = create_engine(f"sqlite:///{tmp_path / name}.db")
        metadata.create_all(engine)
        makers.append(sessionmaker(engine))
    copy = CalendarCopy(table, cache_seconds=3600)
    with makers[0].begin() as session:
        copy.apply(session, change("day_off", T0))
    with makers[1]() as session:
        assert copy.calendar(session).is_working_day(DAY)
    with makers[0]() as session:
        assert not copy.calendar(session).is_working_day(DAY)
