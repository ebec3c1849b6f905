"""Staging and applying a bulk import (issue 17) on intake's own PostgreSQL database: the rows intake
writes for past dossiers, one `history.imported` event per part, the same file twice, an interrupted
import resumed, and two appliers at once."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select, update

from motcua_shared.events import registry
from motcua_shared.events.catalogue.history import HISTORY_IMPORTED
from motcua_shared.workcal import WorkingCalendar

from motcua_intake.imports import applying, events, staging
from motcua_intake.models import dossiers, import_records, imports

from motcua_testing.system import spec_of

from intake.import_support import at, checked, part_events, record, records, rows
from intake.support import IntakeDesk

PART = 4
HISTORY_ORDER = ("dossier_code", "occurred_at", "action")
# Columns that hold the moment of the run or a row id, not what was imported.
VOLATILE = ("id", "created_at")


def desk_of(app):
    return app.app.extensions["motcua"].extras["desk"]


def readable(app, row: dict) -> dict:
    """The row with its identity number decrypted: each encryption draws a fresh nonce, so two runs store
    the same number as different ciphertexts."""
    return {**row, "applicant_id_encrypted": desk_of(app).identity_numbers.decrypt(row["applicant_id_encrypted"])}


def stage(app, items, *, sha="a" * 64, filename="ho-so-2019.jsonl", already: int = 0):
    with app.runtime.sessions.begin() as session:
        return staging.stage(session, checked(items, already), filename=filename, sha256=sha, created_by="admin-1")


def apply(app, import_id, **kwargs):
    return applying.apply_all(app.runtime.sessions, desk_of(app), import_id, part_size=PART, **kwargs)


def imported_state(app) -> dict:
    return {"dossiers": [readable(app, row) for row in rows(app.runtime, "dossiers", "code", without=VOLATILE)],
            "history": rows(app.runtime, "dossier_history", *HISTORY_ORDER, without=("id",)),
            "events": [event["data"] for event in part_events(app.runtime)]}


def test_stage_and_apply_write_the_dossiers_their_history_and_one_valid_event_per_part(desk):
    items = records(10)
    staged = stage(desk, items)
    assert staged.created and staged.row["status"] == "pending" and desk.count("import_records") == 10
    assert desk.count("dossiers") == 0  # staged, not applied yet
    progress = apply(desk, staged.row["id"])
    assert progress.done and progress.applied == 10
    events = part_events(desk.runtime)
    assert [e["data"]["part"] for e in events] == [1, 2, 3]  # 10 dossiers in parts of 4
    for event in events:
        registry.load_data(HISTORY_IMPORTED, event["data"])  # the consumers' schema accepts it
        assert event["subject"] == staged.row["id"]
    assert sum(len(e["data"]["dossiers"]) for e in events) == 10
    with desk.runtime.sessions() as session:
        row = staging.get(session, staged.row["id"])
        assert (row["status"], row["applied"], row["parts"]) == ("done", 10, 3) and row["finished_at"]
        assert session.execute(select(func.count()).where(import_records.c.applied.is_(False))).scalar_one() == 0


def test_each_kind_of_past_dossier_reads_as_intake_would_have_it(desk):
    kinds = {"returned": record(1), "processed": record(2, kind="processed"),
             "in_progress": record(3, kind="in_progress"), "supplement_open": record(4, kind="supplement_open"),
             "supplement_done": record(5, kind="supplement_done"), "withdrawn": record(6, kind="withdrawn"),
             "received": record(7, kind="received")}
    apply(desk, stage(desk, list(kinds.values())).row["id"])
    statuses = {"returned": "returned", "processed": "processed", "in_progress": "in_progress",
                "supplement_open": "supplement_required", "supplement_done": "processed", "withdrawn": "stopped",
                "received": "received"}
    for kind, item in kinds.items():
        detail = desk.detail(item.code)
        assert detail["status"] == statuses[kind], kind
        assert detail["historical"] is True
        assert [h["status"] for h in detail["history"]][-1] == statuses[kind]
    returned = desk.detail(kinds["returned"].code)
    assert [h["action"] for h in returned["history"]] == ["receive", "transfer", "process", "return_result"]
    assert returned["history"][0]["actor"] == "admin-1" and returned["history"][0]["actor_name"] == "Lò Thị Hoa"
    supplemented = desk.detail(kinds["supplement_done"].code)
    assert [h["action"] for h in supplemented["history"]] == [
        "receive", "transfer", "processing_supplement", "supplement_received", "process"]
    # the appointment moved by the 8 hours paused, on the working calendar
    assert supplemented["due_at"] != desk.detail(kinds["processed"].code)["due_at"]
    waiting = desk.detail(kinds["supplement_open"].code)
    assert waiting["supplement_stage"] == "processing" and waiting["paused_from"] is not None
    # the public lookup reads it with the applicant's identity number
    public = desk.client.get(f"/api/v1/public/dossiers/{kinds['returned'].code}",
                             query_string={"id_number": kinds["returned"].applicant.id_number})
    assert public.status_code == 200, public.get_json()
    with desk.runtime.engine.connect() as conn:
        numbers = conn.execute(select(dossiers.c.logbook_number).order_by(dossiers.c.received_at)).scalars().all()
    assert numbers == list(range(1, 8))  # the 2019 book of Chiềng Khương, in the order received
    events = {d["code"]: d for e in part_events(desk.runtime) for d in e["data"]["dossiers"]}
    waited = events[kinds["supplement_open"].code]
    assert [e["type"].rsplit(".", 1)[1] for e in waited["events"]] == ["received", "transferred",
                                                                       "supplement_requested"]
    assert waited["events"][2]["data"]["stage"] == "processing"
    assert [s["status"] for s in events[kinds["in_progress"].code]["steps"]] == ["assigned"]
    assert all(e["data"]["historical"] is True for d in events.values() for e in d["events"])


def test_the_same_file_again_changes_nothing(desk):
    items = records(6)
    first = stage(desk, items)
    apply(desk, first.row["id"])
    before = imported_state(desk)
    again = stage(desk, items)
    assert not again.created and again.row["id"] == first.row["id"] and again.row["status"] == "done"
    assert apply(desk, again.row["id"]).part is None
    assert imported_state(desk) == before and desk.count("imports") == 1


def test_an_interrupted_import_resumes_and_ends_exactly_as_an_uninterrupted_one(desk, database_factory):
    items = records(11)
    interrupted = stage(desk, items)
    first = apply(desk, interrupted.row["id"], stop_after=1)
    assert not first.done and desk.count("dossiers") == PART
    with desk.runtime.sessions() as session:
        assert staging.get(session, interrupted.row["id"])["status"] == "applying"
    apply(desk, interrupted.row["id"])  # the next run continues with the records not applied yet

    other_db = database_factory.create(spec_of("intake"))
    other = IntakeDesk.on(database_factory.url(other_db))
    try:
        whole = stage(other, items)
        with other.runtime.engine.begin() as conn:  # the same import id: ids of events and steps derive from it
            conn.execute(update(imports).values(id=interrupted.row["id"]))
            conn.execute(update(import_records).values(import_id=interrupted.row["id"]))
        assert whole.created
        apply(other, interrupted.row["id"])
        assert imported_state(other) == imported_state(desk)
    finally:
        other.close()
        database_factory.drop(other_db)


def test_two_appliers_at_once_never_apply_a_record_twice(desk):
    items = records(24)
    staged = stage(desk, items)
    errors = []

    def applier():
        try:
            applying.apply_all(desk.runtime.sessions, desk_of(desk), staged.row["id"], part_size=3)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=applier) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert desk.count("dossiers") == 24
    events = part_events(desk.runtime)
    assert sorted(e["data"]["part"] for e in events) == list(range(1, 9))
    codes = [d["code"] for e in events for d in e["data"]["dossiers"]]
    assert sorted(codes) == sorted(item.code for item in items)
    with desk.runtime.sessions() as session:
        assert staging.get(session, staged.row["id"])["applied"] == 24


def test_the_worker_job_applies_pending_imports_within_its_time_budget(desk):
    staged = stage(desk, records(9))
    parts = applying.apply_pending(desk.runtime.sessions, desk_of(desk), part_size=2, budget_seconds=0)
    assert parts == 1 and desk.count("dossiers") == 2  # at least one part, then the budget is spent
    while applying.apply_pending(desk.runtime.sessions, desk_of(desk), part_size=2, budget_seconds=60):
        pass
    assert desk.count("dossiers") == 9
    with desk.runtime.sessions() as session:
        assert staging.get(session, staged.row["id"])["status"] == "done"
        assert applying.unfinished(session) == []


def test_a_code_waiting_in_another_import_is_counted_or_refused(desk):
    first = records(3)
    stage(desk, first, sha="b" * 64)
    same = stage(desk, [first[0], record(40)], sha="c" * 64)
    assert same.created and same.row["already"] == 1  # the same dossier, waiting in the first import
    changed = record(2, kind="withdrawn")  # the code of first[1], another content
    refused = stage(desk, [changed], sha="d" * 64)
    assert refused.row is None and [(p.line, p.code) for p in refused.problems] == [(changed.line, "code_taken")]


def test_a_dossier_intake_already_holds_is_not_written_twice(desk):
    items = records(3)
    staged = stage(desk, items, sha="e" * 64)
    apply(desk, staged.row["id"])
    again = stage(desk, [*items, record(50)], sha="f" * 64)  # a file made before the first was applied
    progress = apply(desk, again.row["id"])
    assert progress.done and desk.count("dossiers") == 4
    with desk.runtime.sessions() as session:
        row = staging.get(session, again.row["id"])
    assert (row["applied"], row["already"]) == (1, 3)


def test_received_at_keeps_its_moment(desk):
    item = record(1, received=at("2019-03-15 08:30"))
    apply(desk, stage(desk, [item]).row["id"])
    with desk.runtime.engine.connect() as conn:
        received, processed = conn.execute(select(dossiers.c.received_at, dossiers.c.processed_at)).one()
    assert received == at("2019-03-15 08:30") and processed == at("2019-03-15 08:30") + timedelta(hours=50)


def test_a_part_is_checked_by_each_inner_events_own_schema_before_it_is_written():
    lives = [events.life(item, WorkingCalendar(), import_id="i-1", admin="admin-1") for item in records(7)]
    data = events.part_data("i-1", 1, lives)
    events.check_part(data)
    registry.load_data(HISTORY_IMPORTED, data)  # what check_part stands for: the catalogue's own schema
    broken = events.part_data("i-1", 1, lives)
    broken["dossiers"][1]["events"][-1]["data"]["occurred_at"] = "not a moment"
    with pytest.raises(ValidationError):
        events.check_part(broken)
    stepless = events.part_data("i-1", 1, lives)
    stepless["dossiers"][0]["steps"][0]["status"] = "lost"
    with pytest.raises(ValidationError):
        events.check_part(stepless)


def test_a_live_dossier_never_takes_a_code_an_imported_one_kept(desk):
    """The old system's codes may have intake's own shape: the day's counter skips those already held
    (before, the live dossier took H52.04222-190312-0001 again and the insert failed with a 500)."""
    imported = [record(1), record(2)]
    staged = stage(desk, imported)
    apply(desk, staged.row["id"])
    day = imported[0].received_at
    assert imported[0].code == f"H52.04222-{day:%y%m%d}-0001"
    live = desk.imported(day + timedelta(hours=1))
    assert live["code"] == f"H52.04222-{day:%y%m%d}-0002"
