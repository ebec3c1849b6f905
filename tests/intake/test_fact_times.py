"""Facts keep their times (issue 17): a dossier's processed and returned moments are when they happened,
never when the news arrived. A change of status is never recorded before the dossier's previous change
of status; a record that changes no status (an apology, a postal hand-over) bounds nothing, stays in
the history, and the history reads in the order things happened."""
from __future__ import annotations

from datetime import datetime

from motcua_shared.events.catalogue import route

from intake.support import at, deliver

STEPS = [{"step_id": "S-a1", "sequence": 1, "unit": "04222", "unit_path": "14.04222", "level": "commune",
          "action": "process", "budget_hours": 40.0}]
DUE = at("2026-05-05 09:00")  # 1.004884 received 23/04 09:00: five working days


def _started(desk, code: str, when: datetime) -> None:
    deliver(desk, route.ROUTE_STARTED, {"dossier_code": code, "started_at": when.isoformat(),
                                        "due_at": DUE.isoformat(), "steps": STEPS})


def _apologised(desk, code: str, issued: datetime) -> None:
    deliver(desk, route.APOLOGY_ISSUED, {
        "dossier_code": code, "original_due_at": DUE.isoformat(), "new_due_at": at("2026-05-08 09:00").isoformat(),
        "reason": "Bước xử lý không hoàn thành trong thời hạn.", "issued_at": issued.isoformat(), "unit": "04222"})


def _completed(desk, code: str, when: datetime) -> None:
    deliver(desk, route.ROUTE_COMPLETED, {"dossier_code": code, "outcome": "approved",
                                          "completed_at": when.isoformat(), "note": None})


def test_a_completion_dated_before_an_apology_already_sent_is_recorded_when_it_happened(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    assert datetime.fromisoformat(desk.detail(code)["due_at"]) == DUE
    _started(desk, code, at("2026-04-23 09:05"))
    # The deadline sweep apologised at the appointment, while the province's answer was still queued...
    _apologised(desk, code, at("2026-05-05 09:30"))
    # ...which says the step ended the day before the appointment.
    _completed(desk, code, at("2026-05-04 15:00"))

    done = desk.detail(code)
    assert done["status"] == "processed" and done["result"] == "approved"
    assert datetime.fromisoformat(done["processed_at"]) == at("2026-05-04 15:00")
    assert datetime.fromisoformat(done["processed_at"]) < datetime.fromisoformat(done["due_at"])
    assert datetime.fromisoformat(done["due_at"]) == DUE  # what reports judge by
    assert datetime.fromisoformat(done["rescheduled_due_at"]) == at("2026-05-08 09:00")  # the apology's date stays
    history = done["history"]
    assert [entry["action"] for entry in history] == ["receive", "transfer", "process", "apology"]
    moments = [datetime.fromisoformat(entry["occurred_at"]) for entry in history]
    assert moments == sorted(moments)
    assert moments[2:] == [at("2026-05-04 15:00"), at("2026-05-05 09:30")]

    processed = [e for e in desk.events() if e["subject"] == code][-1]
    assert processed["type"] == "vn.motcua.dossier.processed"
    assert datetime.fromisoformat(processed["data"]["occurred_at"]) == at("2026-05-04 15:00")
    assert datetime.fromisoformat(processed["data"]["due_at"]) == DUE

    # Returning the result may also come before the apology's moment: it follows the completion only.
    returned = desk.act(code, "return", {"method": "counter", "occurred_at": at("2026-05-05 08:00").isoformat()},
                        role="admin", unit="14")
    assert returned.status_code == 200, returned.get_json()
    final = desk.detail(code)
    assert datetime.fromisoformat(final["returned_at"]) == at("2026-05-05 08:00")
    assert [entry["action"] for entry in final["history"]] == ["receive", "transfer", "process", "return_result",
                                                              "apology"]


def test_a_change_of_status_is_still_never_recorded_before_the_previous_one(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    _started(desk, code, at("2026-04-24 10:00"))
    _completed(desk, code, at("2026-04-24 09:59"))  # the two services' clocks differ a little
    done = desk.detail(code)
    assert datetime.fromisoformat(done["processed_at"]) == at("2026-04-24 10:00")
    assert [entry["action"] for entry in done["history"]] == ["receive", "transfer", "process"]
    processed = [e for e in desk.events() if e["subject"] == code][-1]
    assert datetime.fromisoformat(processed["data"]["occurred_at"]) == at("2026-04-24 10:00")


def test_the_upgrade_frees_a_dossier_whose_apology_had_moved_its_last_change(desk, intake_database):
    """Before migration 0004 an apology also moved `last_event_at`; the upgrade sets it back to the last
    change of status, so an answer dated before an apology sent before the upgrade keeps its time."""
    from alembic import command
    from sqlalchemy import text

    from motcua_shared.migrations import alembic_config

    from motcua_testing.system import spec_of

    code = desk.imported(at("2026-04-23 09:00"))["code"]
    _started(desk, code, at("2026-04-23 09:05"))
    _apologised(desk, code, at("2026-05-05 09:30"))
    with desk.runtime.engine.begin() as conn:  # what the code before the upgrade wrote
        conn.execute(text("UPDATE dossiers SET last_event_at = :at WHERE code = :code"),
                     {"at": at("2026-05-05 09:30"), "code": code})
    config = alembic_config(spec_of("intake"), intake_database)
    command.downgrade(config, "0003")
    command.upgrade(config, "head")
    with desk.runtime.engine.connect() as conn:
        last = conn.execute(text("SELECT last_event_at FROM dossiers WHERE code = :code"), {"code": code}).scalar_one()
    assert last == at("2026-04-23 09:05")
    _completed(desk, code, at("2026-05-04 15:00"))
    assert datetime.fromisoformat(desk.detail(code)["processed_at"]) == at("2026-05-04 15:00")
