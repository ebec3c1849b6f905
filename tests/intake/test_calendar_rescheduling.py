"""A day declared off moves the open appointments on or after it, and each move is announced
(`vn.motcua.dossier.rescheduled`); a declared working day moves none (docs/calendar.md).

The appointments are set by hand in March 2031 (01/03/2031 is a Saturday: Mon 10, Tue 11, Wed 12,
Thu 13, Fri 14, Sat 15, Sun 16, Mon 17) and the dates they move to are worked out by hand.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from motcua_intake.models import dossiers

from intake.support import APPLICANT, at, token

ADMIN = token("admin", unit="14")  # the province's administrator
RESCHEDULED = "vn.motcua.dossier.rescheduled"


def set_due(desk, code: str, due: str, **values) -> None:
    with desk.runtime.sessions.begin() as session:
        session.execute(update(dossiers).where(dossiers.c.code == code).values(due_at=at(due), **values))


def due_of(desk, code: str) -> datetime:
    with desk.runtime.sessions() as session:
        return session.execute(select(dossiers.c.due_at).where(dossiers.c.code == code)).scalar_one()


def rescheduled(desk) -> dict[str, dict]:
    return {e["data"]["code"]: e["data"] for e in desk.events() if e["type"] == RESCHEDULED}


def test_a_declared_day_off_moves_the_open_appointments_on_or_after_it(desk):
    codes = {name: desk.receive()["code"] for name in ("thursday", "on_the_day", "friday", "before", "processed")}
    set_due(desk, codes["thursday"], "2031-03-13 09:00")
    set_due(desk, codes["on_the_day"], "2031-03-11 10:00", status="in_progress")
    set_due(desk, codes["friday"], "2031-03-14 16:00", status="supplement_required")
    set_due(desk, codes["before"], "2031-03-10 17:00")
    set_due(desk, codes["processed"], "2031-03-13 09:00", status="processed")
    past = desk.imported(at("2026-03-02 09:00"))["code"]  # history: never moved, never announced
    set_due(desk, past, "2031-03-13 09:00")

    answer = desk.client.put("/api/v1/calendar/overrides/2031-03-11", headers=ADMIN,
                             json={"kind": "day_off", "note": "Nghỉ theo Quyết định 12/QĐ-UBND tỉnh"})
    assert answer.status_code == 201, answer.get_json()

    assert due_of(desk, codes["thursday"]) == at("2031-03-14 09:00")
    assert due_of(desk, codes["on_the_day"]) == at("2031-03-12 10:00")  # the 3 h run on the day are kept
    assert due_of(desk, codes["friday"]) == at("2031-03-17 16:00")  # over the weekend; paused dossiers too
    assert due_of(desk, codes["before"]) == at("2031-03-10 17:00")
    assert due_of(desk, codes["processed"]) == at("2031-03-13 09:00")
    assert due_of(desk, past) == at("2031-03-13 09:00")

    told = rescheduled(desk)
    assert set(told) == {codes["thursday"], codes["on_the_day"], codes["friday"]}
    thursday = told[codes["thursday"]]
    assert thursday["day"] == "2031-03-11" and thursday["note"] == "Nghỉ theo Quyết định 12/QĐ-UBND tỉnh"
    assert datetime.fromisoformat(thursday["previous_due_at"]) == at("2031-03-13 09:00")
    assert datetime.fromisoformat(thursday["due_at"]) == at("2031-03-14 09:00")
    calendar_changed = [e for e in desk.events() if e["type"] == "vn.motcua.calendar.changed"]
    assert len(calendar_changed) == 1
    # In the dossier's history: the officer's trail and the citizen's public lookup say why it moved.
    history = desk.detail(codes["thursday"])["history"]
    [entry] = [h for h in history if h["action"] == "rescheduled"]
    assert entry["note"] == "Nghỉ theo Quyết định 12/QĐ-UBND tỉnh" and entry["status"] == "received"
    public = desk.client.get(f"/api/v1/public/dossiers/{codes['thursday']}",
                             query_string={"id_number": APPLICANT["id_number"]}).get_data(as_text=True)
    assert "Ngày 11/03/2031 được công bố là ngày nghỉ; hẹn trả kết quả mới: " in public

    # Declaring the same day off again (a corrected note) takes nothing more away.
    again = desk.client.put("/api/v1/calendar/overrides/2031-03-11", headers=ADMIN,
                            json={"kind": "day_off", "note": "Nghỉ theo Quyết định 12/QĐ-UBND tỉnh (đính chính)"})
    assert again.status_code == 200
    assert due_of(desk, codes["thursday"]) == at("2031-03-14 09:00") and len(rescheduled(desk)) == 3

    # A Saturday made a working day moves no appointment earlier: the citizen keeps the date given.
    saturday = desk.client.put("/api/v1/calendar/overrides/2031-03-15", headers=ADMIN,
                               json={"kind": "working_day", "note": "Làm bù theo Quyết định 13/QĐ-UBND tỉnh"})
    assert saturday.status_code == 201
    assert due_of(desk, codes["friday"]) == at("2031-03-17 16:00") and len(rescheduled(desk)) == 3


def test_a_past_day_declared_off_moves_nothing(desk):
    code = desk.receive()["code"]
    set_due(desk, code, "2031-03-13 09:00")
    answer = desk.client.put("/api/v1/calendar/overrides/2020-03-10", headers=ADMIN,
                             json={"kind": "day_off", "note": "Ghi nhận ngày nghỉ đã qua"})
    assert answer.status_code == 201
    assert due_of(desk, code) == at("2031-03-13 09:00") and rescheduled(desk) == {}


def test_removing_a_working_day_declaration_that_makes_the_day_off_again_moves_the_appointments(desk):
    """Thu 01/05/2031 is a holiday; an administrator had made it a working day, then removes that."""
    answer = desk.client.put("/api/v1/calendar/overrides/2031-05-01", headers=ADMIN,
                             json={"kind": "working_day", "note": "Trực lễ toàn tỉnh"})
    assert answer.status_code == 201
    code = desk.receive()["code"]
    set_due(desk, code, "2031-05-02 09:00")  # Fri 02/05/2031
    assert desk.client.delete("/api/v1/calendar/overrides/2031-05-01", headers=ADMIN).status_code == 204
    assert due_of(desk, code) == at("2031-05-05 09:00")  # Mon 05/05/2031
    assert rescheduled(desk)[code]["note"] == "Hủy khai báo: Trực lễ toàn tỉnh"
