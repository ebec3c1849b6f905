"""The day-off override table in intake's database: seeded from the yearly official schedule, edited by a
province administrator, and read by the calendar that sets appointments (the calendar's own rules are
tested in tests/unit/test_workcal*.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import insert

from motcua_shared.workcal import official_year

from motcua_intake.calendar_store import CalendarStore
from motcua_intake.models import calendar_overrides
from motcua_intake.service import SPEC

from intake.support import IntakeDesk, at, token

ADMIN = token("admin", unit="14")  # the province's administrator


def due_of(desk, received_at: datetime) -> datetime:
    return datetime.fromisoformat(desk.imported(received_at)["due_at"])


def test_an_override_moves_the_appointments_given_after_it(desk):
    received = at("2026-04-23 09:00")
    assert due_of(desk, received) == at("2026-05-05 09:00")
    created = desk.client.put("/api/v1/calendar/overrides/2026-05-04", headers=ADMIN,
                              json={"kind": "day_off", "note": "Nghỉ bù theo Quyết định 12/QĐ-UBND"})
    assert created.status_code == 201 and created.get_json()["source"] == "admin"
    assert due_of(desk, received) == at("2026-05-06 09:00")
    replaced = desk.client.put("/api/v1/calendar/overrides/2026-05-04", headers=ADMIN,
                               json={"kind": "working_day", "note": "Hủy nghỉ bù"})
    assert replaced.status_code == 200
    saturday = desk.client.put("/api/v1/calendar/overrides/2026-05-02", headers=ADMIN,
                               json={"kind": "working_day", "note": "Làm bù thứ Bảy"})
    assert saturday.status_code == 201
    assert due_of(desk, received) == at("2026-05-04 09:00")
    assert desk.client.delete("/api/v1/calendar/overrides/2026-05-02", headers=ADMIN).status_code == 204
    assert desk.client.delete("/api/v1/calendar/overrides/2026-05-04", headers=ADMIN).status_code == 204
    assert due_of(desk, received) == at("2026-05-05 09:00")
    listed = desk.client.get("/api/v1/calendar/overrides", query_string={"year": 2026},
                             headers=token("receptionist", unit="04222"))
    assert listed.status_code == 200 and listed.get_json()["items"] == []


def test_only_a_province_administrator_edits_the_calendar(desk):
    body = {"kind": "day_off", "note": "Thử"}
    answers = {
        "receptionist": desk.client.put("/api/v1/calendar/overrides/2026-05-04", json=body,
                                        headers=token("receptionist", unit="14")),
        "commune admin": desk.client.put("/api/v1/calendar/overrides/2026-05-04", json=body,
                                         headers=token("admin", unit="04222")),
    }
    assert answers["receptionist"].status_code == 403 and answers["receptionist"].get_json()["code"] == "forbidden_role"
    assert answers["commune admin"].get_json()["code"] == "province_admin_only"
    assert desk.client.put("/api/v1/calendar/overrides/2026-05-04", json=body,
                           headers=token("admin", unit="14")).status_code == 201
    for path, payload in (("2026-02-30", body), ("2026-05-05", {"kind": "holiday", "note": "x"}),
                          ("2026-05-05", {"kind": "day_off"})):
        answer = desk.client.put(f"/api/v1/calendar/overrides/{path}", json=payload, headers=ADMIN)
        assert answer.status_code == 422, path
    missing = desk.client.delete("/api/v1/calendar/overrides/2026-06-01", headers=ADMIN)
    assert missing.status_code == 404 and missing.get_json()["code"] == "override_not_found"
    assert desk.count("calendar_overrides") == 1


def test_the_seed_writes_the_official_days_once_and_never_overwrites_an_administrator(desk):
    rt = desk.runtime
    desk.client.put("/api/v1/calendar/overrides/2026-04-30", headers=ADMIN,
                    json={"kind": "working_day", "note": "Trực lễ toàn tỉnh"})
    SPEC.seed(rt)
    seeded = desk.count("calendar_overrides")
    year = datetime.now(timezone.utc).year
    package = sum(len(official_year(y).days_off) + len(official_year(y).weekend_workdays)
                  for y in range(year - 1, year + 2))
    admin_day_in_range = year - 1 <= 2026 <= year + 1
    assert seeded == package + (0 if admin_day_in_range else 1)
    SPEC.seed(rt)
    assert desk.count("calendar_overrides") == seeded  # idempotent
    rows = {row["day"]: row for row in desk.client.get(
        "/api/v1/calendar/overrides", query_string={"year": 2026}, headers=ADMIN).get_json()["items"]}
    assert rows["2026-04-30"]["kind"] == "working_day" and rows["2026-04-30"]["source"] == "admin"
    if admin_day_in_range:
        assert rows["2026-09-02"]["kind"] == "day_off" and rows["2026-09-02"]["source"] == "schedule"
        # The New Year 2026 swap, which the holidays package misses, comes from the 2026 file.
        assert rows["2026-01-02"]["kind"] == "day_off" and rows["2026-01-10"]["kind"] == "working_day"
        assert rows["2026-01-10"]["note"] == "Ngày làm bù (thay cho thứ Sáu 02/01/2026)"


def test_each_process_reads_the_table_again_when_its_cache_expires(intake_database):
    clock = [0.0]
    store = CalendarStore(office_hours="07:00-11:30,13:30-17:00", cutoff="15:00", cache_seconds=30,
                          clock=lambda: clock[0])
    desk = IntakeDesk.on(intake_database)
    try:
        with desk.runtime.sessions.begin() as session:
            assert store.calendar(session).is_working_day(date(2026, 5, 4))
            # Another process (another gunicorn worker, say) declares the day off.
            session.execute(insert(calendar_overrides).values(
                day=date(2026, 5, 4), kind="day_off", note="Nghỉ", source="admin", updated_by="admin-2",
                updated_at=datetime.now(timezone.utc)))
        with desk.runtime.sessions() as session:
            clock[0] = 29.0
            assert store.calendar(session).is_working_day(date(2026, 5, 4))  # still the cached calendar
            clock[0] = 30.5
            assert not store.calendar(session).is_working_day(date(2026, 5, 4))
            with desk.runtime.sessions.begin() as writer:
                writer.execute(insert(calendar_overrides).values(
                    day=date(2026, 5, 5), kind="day_off", note="Nghỉ", source="admin", updated_by="admin-1",
                    updated_at=datetime.now(timezone.utc)))
            store.invalidate()  # what a change made through this process does
            assert not store.calendar(session).is_working_day(date(2026, 5, 5))
    finally:
        desk.close()


def test_seeded_rows_only_list_the_schedule_and_the_files_decide(desk):
    """A seeded row left from an earlier file (here: Mon 04/05/2026 off, which no file says) changes no
    appointment: intake counts the days routing and reporting count (the files and the declarations)."""
    received = at("2026-04-23 09:00")
    with desk.runtime.sessions.begin() as session:
        session.execute(insert(calendar_overrides).values(
            day=date(2026, 5, 4), kind="day_off", note="Ngày nghỉ của một tệp cũ", source="schedule",
            updated_by="official-schedule", updated_at=datetime.now(timezone.utc)))
    desk.runtime.extras["desk"].calendars.invalidate()
    # Thu 23/04 09:00 + 5 working days: Fri 24, Tue 28, Wed 29, Mon 04/05, Tue 05/05 (Mon 27/04 in lieu of
    # the Hùng Kings' Sunday, Thu 30/04 and Fri 01/05 holidays).
    assert due_of(desk, received) == at("2026-05-05 09:00")
