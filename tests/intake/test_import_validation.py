"""Checking an import file (issue 17): the whole file is checked and every problem reported with its line,
field and a Vietnamese reason; intake's own rules (formats, catalogue, units on the day, the appointment on
intake's calendar with its overrides) apply; a code already in intake is `already` with the same content
and `code_taken` with another."""
from __future__ import annotations

import copy
import json
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import insert, update

from motcua_intake.imports.validation import check_file, parse_moment
from motcua_intake.models import calendar_overrides, dossiers, import_records

from intake.support import VN, at

TEMPLATES = Path(__file__).resolve().parents[2] / "services" / "intake" / "motcua_intake" / "imports" / "templates"
TODAY = date(2026, 12, 7)
BASE = {
    "code": "H52.04222-190315-0001", "procedure_code": "1.004873", "channel": "counter", "receiving_unit": "04222",
    "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
                  "email": None, "address": "Bản Hưng Mai"},
    "return_method": "counter", "documents": [{"name": "Tờ khai", "copy_type": "original", "count": 1}],
    "received_at": "2019-03-15T08:30:00+07:00", "received_by": "Lò Thị Hoa",
    "steps": [{"unit": "04222", "action": "process", "assigned_at": "2019-03-15T09:00:00+07:00",
               "completed_at": "2019-03-18T09:00:00+07:00", "outcome": "approved", "handled_by": "Cầm Văn Pọm"}],
    "processed_at": "2019-03-18T09:00:00+07:00", "result": "approved",
    "returned_at": "2019-03-19T14:00:00+07:00", "returned_by": "counter",
}


def record(**changes) -> dict:
    body = copy.deepcopy(BASE)
    body.update(changes)
    return body


def jsonl(*records: dict) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in records).encode("utf-8")


def check(desk, data: bytes, filename: str = "ho-so.jsonl", today: date = TODAY, **options):
    with desk.runtime.sessions() as session:
        return check_file(data, filename, session=session, today=today, desk=desk.runtime.extras["desk"], **options)


def found(checked) -> set[tuple[int, str, str]]:
    return {(problem.line, problem.field, problem.code) for problem in checked.problems}


def reason(checked, code: str) -> str:
    return next(problem.reason for problem in checked.problems if problem.code == code)


# -- the templates --------------------------------------------------------------------------------------
def test_the_three_templates_validate_clean_and_say_the_same_thing(desk):
    checked = {suffix: check(desk, (TEMPLATES / f"mau-nhap-ho-so.{suffix}").read_bytes(), f"mau.{suffix}")
               for suffix in ("csv", "xlsx", "jsonl")}

    for result in checked.values():
        assert result.problems == [] and result.total == 6 and len(result.records) == 6
    fingerprints = {suffix: [r.fingerprint for r in result.records] for suffix, result in checked.items()}
    assert fingerprints["csv"] == fingerprints["xlsx"] == fingerprints["jsonl"]
    by_code = {r.code: r for r in checked["csv"].records}
    inter_agency = by_code["H52.04195-190411-0002"]
    assert inter_agency.inter_agency and inter_agency.competent_unit == "126"
    assert [(s.unit_path, s.level, s.agency_name) for s in inter_agency.steps] == [
        ("14.126.04195", "commune", "Ủy ban nhân dân xã Chiềng Sơ"),
        ("14.126", "district", "Phòng Lao động - Thương binh và Xã hội huyện Sông Mã"),
        ("14.126", "district", "Ủy ban nhân dân huyện Sông Mã")]
    in_progress = by_code["H52.04222-190524-0011"]
    assert [s.state for s in in_progress.steps] == ["completed", "assigned"]
    assert in_progress.processed_at is None and in_progress.withdrawn_at is None
    postal = by_code["H52.126-190506-0003"]
    assert (postal.return_method, postal.returned_by, postal.channel) == ("postal", "postal", "online")
    withdrawn = by_code["H52.04183-190520-0004"]
    assert withdrawn.supplements[-1].received_at is None and withdrawn.withdrawal_reason


# -- the record as intake would hold it ---------------------------------------------------------------------
def test_a_record_is_normalised_with_what_intake_derives(desk):
    checked = check(desk, jsonl(record()))

    assert checked.problems == []
    (result,) = checked.records
    assert result.line == 1
    assert (result.procedure_name, result.procedure_level, result.sector, result.fee_vnd) == (
        "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "commune", "Hộ tịch", 10000)
    assert (result.receiving_unit_path, result.competent_unit, result.competent_unit_path) == (
        "14.126.04222", "04222", "14.126.04222")  # no competent unit: the desk's own, as for a live dossier
    assert result.received_at == at("2019-03-15 08:30") and result.received_at.tzinfo is not None
    # No appointment given: 3 working days on intake's calendar, from Friday 08:30 to Wednesday 08:30.
    assert result.due_at == at("2019-03-20 08:30")
    (step,) = result.steps
    assert (step.sequence, step.unit, step.unit_path, step.level, step.agency_name, step.state) == (
        1, "04222", "14.126.04222", "commune", "Ủy ban nhân dân xã Chiềng Khương", "completed")


def test_the_appointment_follows_the_calendar_overrides_in_intakes_database(desk):
    with desk.runtime.sessions.begin() as session:
        session.execute(insert(calendar_overrides).values(day=date(2019, 3, 18), kind="day_off", note="Nghỉ bù",
                                                          source="admin", updated_by="admin",
                                                          updated_at=datetime.now(timezone.utc)))
    desk.runtime.extras["desk"].calendars.invalidate()

    (result,) = check(desk, jsonl(record(steps=[], processed_at=None, result=None, returned_at=None,
                                         returned_by=None, withdrawn_at="2019-03-16T08:00:00+07:00"))).records
    assert result.due_at == at("2019-03-21 08:30")


def test_times_in_local_forms_and_an_appointment_given_as_a_date_alone(desk):
    (result,) = check(desk, jsonl(record(received_at="15/03/2019 08:30", due_at="22/03/2019",
                                         processed_at="18/03/2019 09:00:00", returned_at="2019-03-19T07:00:00Z"))
                      ).records
    assert result.received_at == at("2019-03-15 08:30")
    assert result.due_at == at("2019-03-22 17:00")  # close of office hours
    assert result.processed_at == at("2019-03-18 09:00")
    assert result.returned_at == at("2019-03-19 14:00")
    assert parse_moment("15/03/2019") == datetime(2019, 3, 15, tzinfo=VN)


def test_the_fingerprint_is_the_content_not_the_line(desk):
    first = check(desk, jsonl(record())).records[0]
    moved = check(desk, b"\n\n" + jsonl(record(received_at="15/03/2019 08:30"))).records[0]
    other = check(desk, jsonl(record(received_by="Người khác"))).records[0]
    assert moved.line == 3 and moved.fingerprint == first.fingerprint
    assert other.fingerprint != first.fingerprint and len(first.fingerprint) == 64


# -- every kind of problem, with its line and reason -------------------------------------------------------------
def test_the_reasons_in_vietnamese(desk):
    checked = check(desk, jsonl(
        record(received_at="2026-12-07T08:00:00+07:00", steps=[], processed_at=None, result=None, returned_at=None,
               returned_by=None),
        record(code="H52.04222-190315-0002", procedure_code="1.999999"),
        record(code="H52.04222-190315-0003", receiving_unit="04999", steps=[])))

    assert reason(checked, "not_in_past") == ("Ngày tiếp nhận phải trước ngày hôm nay (07/12/2026): "
                                              "chỉ nhập hồ sơ đã qua.")
    assert reason(checked, "unknown_procedure") == "Mã thủ tục 1.999999 không có trong danh mục."
    assert reason(checked, "unknown_unit") == "Đơn vị 04999 không tồn tại vào ngày 15/03/2019."
    assert found(checked) == {(1, "received_at", "not_in_past"), (2, "procedure_code", "unknown_procedure"),
                              (3, "receiving_unit", "unknown_unit")}
    assert checked.records == [] and checked.total == 3


BAD = [
    # (what is wrong, the record's changes, the problems expected as (field, code))
    ("unknown field", {"priority": "cao"}, {("priority", "unknown_field")}),
    ("unknown applicant field", {"applicant": {**BASE["applicant"], "gender": "nam"}},
     {("applicant.gender", "unknown_field")}),
    ("code too short", {"code": "H52-1"}, {("code", "invalid_length")}),
    ("code with spaces", {"code": "H52 04222 0001"}, {("code", "invalid_code")}),
    ("no code", {"code": None}, {("code", "required")}),
    ("channel", {"channel": "Xe đạp"}, {("channel", "invalid_choice")}),
    ("unit code shape", {"receiving_unit": "4222"}, {("receiving_unit", "invalid_unit")}),
    ("unit not yet on the day", {"competent_unit": "14999"}, {("competent_unit", "unknown_unit")}),
    ("id number", {"applicant": {**BASE["applicant"], "id_number": "14090001234"}},
     {("applicant.id_number", "invalid_id_number")}),
    ("phone", {"applicant": {**BASE["applicant"], "phone": "0212345678"}}, {("applicant.phone", "invalid_phone")}),
    ("email", {"applicant": {**BASE["applicant"], "email": "hung@"}}, {("applicant.email", "invalid_email")}),
    ("name", {"applicant": {**BASE["applicant"], "full_name": ""}}, {("applicant.full_name", "required")}),
    ("postal without address", {"return_method": "postal"}, {("delivery_address", "required")}),
    ("document form", {"documents": [{"name": "Tờ khai", "copy_type": None}]}, {("documents.1.copy_type", "required")}),
    ("document count", {"documents": [{"name": "Tờ khai", "copy_type": "copy", "count": 0}]},
     {("documents.1.count", "invalid_count")}),
    ("time", {"received_at": "32/03/2019 08:00"}, {("received_at", "invalid_time")}),
    ("time without offset", {"received_at": "2019-03-15T08:30:00"}, {("received_at", "invalid_time")}),
    ("appointment before reception", {"due_at": "2019-03-14T08:00:00+07:00"}, {("due_at", "time_order")}),
    ("processed before received", {"processed_at": "2019-03-14T08:00:00+07:00"},
     {("processed_at", "time_order"), ("steps.1.completed_at", "time_order"),
      ("steps.1.assigned_at", "time_order")}),
    ("returned before processed", {"returned_at": "2019-03-18T08:00:00+07:00"}, {("returned_at", "time_order")}),
    ("processed without result", {"result": None}, {("result", "required")}),
    ("result without processed", {"processed_at": None, "returned_at": None, "returned_by": None},
     {("processed_at", "required")}),
    ("returned not processed", {"processed_at": None, "result": None},
     {("returned_at", "not_processed"), ("steps", "nothing_open")}),
    ("processed and withdrawn", {"withdrawn_at": "2019-03-18T10:00:00+07:00"},
     {("withdrawn_at", "processed_and_withdrawn")}),
    ("reason without withdrawal", {"withdrawal_reason": "Không cần nữa"}, {("withdrawal_reason", "not_withdrawn")}),
    ("returned_by without return", {"returned_at": None}, {("returned_by", "not_returned")}),
    ("result in the future", {"returned_at": "2027-01-01T08:00:00+07:00"}, {("returned_at", "in_future")}),
    ("step unit", {"steps": [{**BASE["steps"][0], "unit": "04999"}]}, {("steps.1.unit", "unknown_unit")}),
    ("step action", {"steps": [{**BASE["steps"][0], "action": "Ăn trưa"}]}, {("steps.1.action", "invalid_choice")}),
    ("step completed without outcome", {"steps": [{**BASE["steps"][0], "outcome": None}]},
     {("steps.1.outcome", "required")}),
    ("step outcome without completion", {"processed_at": None, "result": None, "returned_at": None,
                                         "returned_by": None, "steps": [{**BASE["steps"][0], "completed_at": None}]},
     {("steps.1.completed_at", "required")}),
    ("step completed before assigned", {"steps": [{**BASE["steps"][0], "completed_at": "2019-03-15T08:45:00+07:00"}]},
     {("steps.1.completed_at", "time_order")}),
    ("step after processing", {"steps": [{**BASE["steps"][0], "completed_at": "2019-03-18T10:00:00+07:00"}]},
     {("steps.1.completed_at", "time_order")}),
    ("steps out of order", {"processed_at": None, "result": None, "returned_at": None, "returned_by": None, "steps": [
        {"unit": "04222", "assigned_at": "2019-03-15T09:00:00+07:00"},
        {"unit": "04222", "assigned_at": "2019-03-15T10:00:00+07:00", "completed_at": "2019-03-15T11:00:00+07:00",
         "outcome": "approved"}]}, {("steps.2", "step_order")}),
    ("two open steps", {"processed_at": None, "result": None, "returned_at": None, "returned_by": None, "steps": [
        {"unit": "04222", "assigned_at": "2019-03-15T09:00:00+07:00"},
        {"unit": "04222", "assigned_at": "2019-03-15T10:00:00+07:00"}]}, {("steps.2", "step_order")}),
    ("step assigned before the previous ended", {"steps": [
        {**BASE["steps"][0], "completed_at": "2019-03-16T09:00:00+07:00"},
        {"unit": "04222", "action": "sign", "assigned_at": "2019-03-15T10:00:00+07:00",
         "completed_at": "2019-03-17T09:00:00+07:00", "outcome": "approved"}]}, {("steps.2.assigned_at", "time_order")}),
    ("open step after the end", {"steps": [{**BASE["steps"][0], "completed_at": None, "outcome": None}]},
     {("steps.1.completed_at", "open_step_after_end")}),
    ("nothing open", {"processed_at": None, "result": None, "returned_at": None, "returned_by": None},
     {("steps", "nothing_open")}),
    ("supplement without note", {"supplements": [{"requested_at": "2019-03-15T10:00:00+07:00",
                                                  "received_at": "2019-03-16T10:00:00+07:00"}]},
     {("supplements.1.note", "required")}),
    ("open supplement not last", {"supplements": [
        {"requested_at": "2019-03-15T10:00:00+07:00", "note": "Thiếu"},
        {"requested_at": "2019-03-16T10:00:00+07:00", "received_at": "2019-03-17T10:00:00+07:00", "note": "Thiếu"}]},
     {("supplements.1.received_at", "required")}),
    ("supplement answered before asked", {"supplements": [
        {"requested_at": "2019-03-16T10:00:00+07:00", "received_at": "2019-03-15T10:00:00+07:00", "note": "Thiếu"}]},
     {("supplements.1.received_at", "time_order")}),
    ("supplement after processing", {"supplements": [
        {"requested_at": "2019-03-18T10:00:00+07:00", "received_at": "2019-03-18T11:00:00+07:00", "note": "Thiếu"}]},
     {("supplements.1.requested_at", "time_order"), ("supplements.1.received_at", "time_order")}),
    ("open supplement after processing", {"supplements": [{"requested_at": "2019-03-16T10:00:00+07:00",
                                                           "note": "Thiếu"}]},
     {("supplements.1.received_at", "open_supplement_after_end")}),
    ("open supplement, last step approved", {
        "processed_at": None, "result": None, "returned_at": None, "returned_by": None,
        "supplements": [{"requested_at": "2019-03-18T10:00:00+07:00", "note": "Thiếu"}]},
     {("steps.1.outcome", "supplement_not_required")}),
    ("open supplement and an open step", {
        "processed_at": None, "result": None, "returned_at": None, "returned_by": None,
        "steps": [{"unit": "04222", "assigned_at": "2019-03-15T09:00:00+07:00"}],
        "supplements": [{"requested_at": "2019-03-16T10:00:00+07:00", "note": "Thiếu"}]},
     {("steps.1.assigned_at", "open_step_and_supplement")}),
    ("steps not a list", {"steps": {"unit": "04222"}}, {("steps", "invalid_type")}),
    ("text where an object goes", {"applicant": "Lò Văn Hùng"},
     {("applicant", "invalid_type"), ("applicant.full_name", "required"), ("applicant.id_number", "required")}),
]


def test_every_kind_of_problem_on_its_line_in_one_file(desk):
    """One file holding a good record and then one bad record per kind: each line gets exactly its own
    problems, and nothing stops the check before the last line."""
    records = [record(code="H52.04222-190315-9999")]
    for number, (_, changes, _) in enumerate(BAD, start=2):
        records.append(record(**{"code": f"H52.04222-190315-{number:04d}", **changes}))
    checked = check(desk, jsonl(*records))

    by_line: dict[int, set] = {}
    for line, field, code in found(checked):
        by_line.setdefault(line, set()).add((field, code))
    for line, (name, _, expected) in enumerate(BAD, start=2):
        assert by_line.get(line) == expected, name
    assert set(by_line) == set(range(2, len(BAD) + 2))
    assert all(problem.reason for problem in checked.problems)
    assert [r.code for r in checked.records] == ["H52.04222-190315-9999"] and checked.total == len(BAD) + 1


def test_valid_lives_of_an_unfinished_dossier(desk):
    open_supplement = record(processed_at=None, result=None, returned_at=None, returned_by=None,
                             steps=[{**BASE["steps"][0], "outcome": "supplement_required"},
                                    {"unit": "04222", "action": "process"}],
                             supplements=[{"requested_at": "2019-03-18T09:00:00+07:00", "note": "Thiếu bản sao",
                                           "items": ["Bản sao Giấy khai sinh"]}])
    no_steps = record(code="H52.04222-190315-0002", processed_at=None, result=None, returned_at=None,
                      returned_by=None, steps=[])
    open_step = record(code="H52.04222-190315-0003", processed_at=None, result=None, returned_at=None,
                       returned_by=None, steps=[BASE["steps"][0], {"unit": "126", "assigned_at": "18/03/2019 10:00"},
                                                {"unit": "126", "action": "sign"}])
    checked = check(desk, jsonl(open_supplement, no_steps, open_step))

    assert checked.problems == []
    assert [[s.state for s in r.steps] for r in checked.records] == [
        ["completed", "planned"], [], ["completed", "assigned", "planned"]]


def test_duplicate_codes_in_the_file(desk):
    checked = check(desk, jsonl(record(), record(), record(code="H52.04222-190315-0002")))
    assert found(checked) == {(2, "code", "duplicate_code")}
    assert reason(checked, "duplicate_code") == "Mã hồ sơ H52.04222-190315-0001 trùng với dòng 1 của tệp."


def test_the_whole_file_is_checked_and_the_report_is_capped(desk):
    bad = [record(code=f"H52.04222-190315-{n:04d}", channel="fax", return_method="pigeon") for n in range(1, 8)]
    checked = check(desk, jsonl(*bad), cap=5)
    assert checked.problems_total == 14 and len(checked.problems) == 5
    every = check(desk, jsonl(*bad))
    assert len(every.problems) == 14 and {p.line for p in every.problems} == set(range(1, 8))


def test_file_problems_are_on_line_zero(desk):
    assert found(check(desk, b"", "a.csv")) == {(0, "", "empty_file")}
    assert found(check(desk, "Mã hồ sơ\n".encode("utf-16"), "a.csv")) == {(0, "", "not_utf8")}
    assert (0, "received_at", "missing_column") in found(check(desk, "Mã hồ sơ\nX\n".encode(), "a.csv"))


def test_csv_problems_are_on_the_rows_line(desk):
    header = ("Mã hồ sơ;Mã thủ tục;Kênh tiếp nhận;Đơn vị tiếp nhận;Họ tên người nộp;Số CCCD/CMND;"
              "Hình thức nhận kết quả;Ngày tiếp nhận")
    rows = ["H52.04222-190315-0001;1.004873;Trực tiếp;04222;Lò Văn Hùng;014090001234;Trực tiếp;15/03/2019 08:30",
            "H52.04222-190315-0002;1.004873;Trực tiếp;04222;Lò Văn Hùng;014090001234;Trực tiếp;15/03/2019 08:30",
            "H52.04222-190315-0003;1.004873;Bồ câu;04222;Lò Văn Hùng;14090001234;Trực tiếp;15/03/2019 08:30"]
    checked = check(desk, "\n".join([header, *rows]).encode(), "a.csv")
    assert found(checked) == {(4, "channel", "invalid_choice"), (4, "applicant.id_number", "invalid_id_number")}
    assert reason(checked, "invalid_choice") == ("«Kênh tiếp nhận» không nhận giá trị «Bồ câu»; chỉ nhận: "
                                                 "Trực tiếp / Trực tuyến / Bưu chính.")
    assert len(checked.records) == 2


# -- codes already in intake --------------------------------------------------------------------------------------
def test_a_code_held_by_a_dossier_received_another_way_is_taken(desk):
    code = desk.imported(at("2019-03-15 08:30"))["code"]

    checked = check(desk, jsonl(record(code=code), record(code="H52.04222-190315-0077")))

    assert found(checked) == {(1, "code", "code_taken")}
    assert reason(checked, "code_taken") == f"Mã hồ sơ {code} đã có trong hệ thống với nội dung khác."
    assert [r.code for r in checked.records] == ["H52.04222-190315-0077"] and checked.already == 0


def test_already_imported_through_request_hash(desk):
    code = desk.imported(at("2019-03-15 08:30"))["code"]
    body = record(code=code)
    fingerprint = _fingerprint_of_code(desk, body, code)
    with desk.runtime.sessions.begin() as session:
        session.execute(update(dossiers).where(dossiers.c.code == code).values(request_hash=fingerprint))

    checked = check(desk, jsonl(body, record(code="H52.04222-190315-0077")))
    assert checked.problems == [] and checked.already == 1 and checked.total == 2
    assert [r.code for r in checked.records] == ["H52.04222-190315-0077"]

    changed = check(desk, jsonl(record(code=code, received_by="Người khác")))
    assert found(changed) == {(1, "code", "code_taken")} and changed.already == 0


def test_already_imported_through_an_applied_import_record(desk):
    code = desk.imported(at("2019-03-15 08:30"))["code"]
    body = record(code=code)
    fingerprint = _fingerprint_of_code(desk, body, code)
    with desk.runtime.sessions.begin() as session:
        session.execute(insert(import_records).values(import_id="i-1", line=7, code=code, applied=True,
                                                      record={"code": code, "fingerprint": fingerprint}))

    checked = check(desk, jsonl(body))
    assert checked.problems == [] and checked.already == 1 and checked.records == []
    assert found(check(desk, jsonl(record(code=code, result_note="khác")))) == {(1, "code", "code_taken")}


def _fingerprint_of_code(desk, body: dict, code: str) -> str:
    """A record's fingerprint while its code is taken: the Problem is the only thing in the way, so check
    it with the dossier's code temporarily renamed."""
    with desk.runtime.sessions() as session:
        session.execute(update(dossiers).where(dossiers.c.code == code).values(code=code + "-tmp"))
        checked = check_file(jsonl(body), "a.jsonl", session=session, today=TODAY, desk=desk.runtime.extras["desk"])
        session.rollback()
    assert checked.problems == [], checked.problems
    return checked.records[0].fingerprint
