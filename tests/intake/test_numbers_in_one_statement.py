"""A reception takes its code, its logbook number and the restore guard's comparison in one statement on
PostgreSQL (sequences.take): the guard still refuses before anything is kept, and a refused reception
gives every number back."""
from __future__ import annotations

from sqlalchemy import event, select, update

from motcua_intake.models import daily_sequences, logbook_sequences, restore_guard

from intake.support import dossier, token


def numbers(desk) -> tuple[list, list]:
    with desk.runtime.engine.connect() as conn:
        return ([tuple(r) for r in conn.execute(select(daily_sequences.c.agency_id, daily_sequences.c.last_value))],
                [tuple(r) for r in conn.execute(select(logbook_sequences.c.unit, logbook_sequences.c.last_value))])


def test_a_restored_database_refuses_a_reception_and_keeps_none_of_its_numbers(desk):
    first = desk.receive()
    before = numbers(desk)
    with desk.runtime.engine.begin() as conn:
        recorded = conn.execute(select(restore_guard.c.server_identity)).scalar_one()
        conn.execute(update(restore_guard).values(server_identity="another-server/1/1"))

    for headers, body in ((token("receptionist", unit="04222"), dossier()),
                          (token("citizen", sub="014090001234"), dossier(channel="postal"))):
        refused = desk.client.post("/api/v1/dossiers", json=body, headers=headers)
        assert refused.status_code == 503 and refused.get_json()["code"] == "restore_pending", refused.get_json()
    assert numbers(desk) == before and desk.count("dossiers") == desk.count("dossier_history") == 1
    assert desk.count("outbox") == 1

    with desk.runtime.engine.begin() as conn:
        conn.execute(update(restore_guard).values(server_identity=recorded))
    second = desk.receive()
    assert int(second["code"].rsplit("-", 1)[1]) == int(first["code"].rsplit("-", 1)[1]) + 1
    assert desk.detail(second["code"])["logbook_number"] == desk.detail(first["code"])["logbook_number"] + 1


def test_a_reception_costs_one_statement_for_its_numbers_and_one_for_its_row_and_history(desk):
    desk.receive()  # the first one records the server's identity (an extra statement, once)
    statements = []
    listener = lambda _conn, _cursor, sql, *_args: statements.append(sql.split()[0:3])  # noqa: E731
    event.listen(desk.runtime.engine, "before_cursor_execute", listener)
    try:
        desk.receive()
    finally:
        event.remove(desk.runtime.engine, "before_cursor_execute", listener)
    # The numbers (WITH day_number ...), the dossier with its history (WITH new_dossier ...), the event.
    assert [s[:3] for s in statements] == [["WITH", "day_number", "AS"], ["WITH", "new_dossier", "AS"],
                                           ["INSERT", "INTO", "outbox"]], statements
