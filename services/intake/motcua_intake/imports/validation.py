"""Checking a whole import file: every record read (reading.py) is held to intake's own rules for a
dossier (the formats of api/dossiers/schemas.py, the catalogue, the units in force on the day, the
appointment as receiving.py computes it) and to the order of a past dossier's life (design §1).

Nothing stops at the first problem: every record is checked and every problem reported, with its line,
field and a reason in Vietnamese, up to PROBLEM_CAP (the rest counted). A file with any problem is not
imported at all; the caller decides that, check_file only reports.

Speed: the reference lookups are cached per (unit, day) and per procedure, and the codes already in
intake are looked up in bulk, so a district's year (66,572 dossiers) is checked in seconds.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, time, timedelta, timezone

from marshmallow import ValidationError, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua_shared.reference import UnknownAgency, UnknownProcedure, load_agencies
from motcua_shared.workcal import VIETNAM_TZ, WorkingCalendar

from ..api.dossiers.schemas import CHANNELS, COPY_TYPES, ID_NUMBER, PHONE, RETURN_METHODS
from ..desk import Desk
from ..models import dossiers, import_records
from . import columns
from .columns import label
from .reading import Raw, read_file
from .records import Applicant, Checked, Problem, Record, Step, Supplement

PROBLEM_CAP = 10_000
LOOKUP_CHUNK = 5_000
CODE = re.compile(r"[A-Za-z0-9._/-]{8,60}", re.ASCII)
ACTIONS = ("process", "appraise", "approve", "sign")
OUTCOMES = ("approved", "rejected", "supplement_required")
RESULTS = ("approved", "rejected")
END_OF_OFFICE = time(17, 0)  # a date alone as an appointment: close of office hours

RECORD_FIELDS = frozenset({"code", "procedure_code", "channel", "receiving_unit", "competent_unit", "applicant",
                           "return_method", "delivery_address", "documents", "received_at", "received_by", "due_at",
                           "steps", "supplements", "processed_at", "result", "result_note", "returned_at",
                           "returned_by", "withdrawn_at", "withdrawal_reason"})
APPLICANT_FIELDS = frozenset({"full_name", "id_number", "phone", "email", "address"})
DOCUMENT_FIELDS = frozenset({"name", "copy_type", "count"})
STEP_FIELDS = frozenset({"unit", "agency", "action", "assigned_at", "due_at", "completed_at", "outcome",
                         "handled_by", "note"})
SUPPLEMENT_FIELDS = frozenset({"requested_at", "received_at", "note", "items"})

_LOCAL_MOMENT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?", re.ASCII)
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_EMAIL = validate.Email()
_CHOICE_LABELS = {"channel": columns.CHANNEL_LABELS, "return_method": columns.CHANNEL_LABELS,
                  "returned_by": columns.CHANNEL_LABELS, "result": columns.RESULT_LABELS,
                  "action": columns.ACTION_LABELS, "outcome": columns.OUTCOME_LABELS,
                  "copy_type": columns.COPY_TYPE_LABELS}


def parse_moment(text: str, *, date_alone_at: time = time(0, 0)) -> datetime:
    """RFC 3339 with an offset, or the local forms dd/mm/yyyy [HH:MM[:SS]] (Asia/Ho_Chi_Minh); a date
    alone is `date_alone_at` that day. Returns UTC; raises ValueError."""
    match = _LOCAL_MOMENT.fullmatch(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        moment = (datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                           tzinfo=VIETNAM_TZ) if hour is not None
                  else datetime.combine(date(int(year), int(month), int(day)), date_alone_at, VIETNAM_TZ))
        return moment.astimezone(timezone.utc)
    match = _ISO_DAY.fullmatch(text)
    if match:
        return datetime.combine(date(*map(int, match.groups())), date_alone_at, VIETNAM_TZ).astimezone(timezone.utc)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment.astimezone(timezone.utc)


def local_day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM_TZ).date()


def shown(moment: datetime) -> str:
    return moment.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M")


def shown_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# -- the report --------------------------------------------------------------------------------------
class Report:
    """The problems found, at most `cap` kept, all counted."""

    def __init__(self, cap: int = PROBLEM_CAP):
        self.cap = cap
        self.items: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.items) < self.cap:
            self.items.append(problem)


class _Row:
    """One record being checked: its line, and the helpers that report on it."""

    __slots__ = ("line", "report", "failed")

    def __init__(self, line: int, report: Report):
        self.line, self.report, self.failed = line, report, False

    def add(self, field: str, code: str, reason: str) -> None:
        self.failed = True
        self.report.add(Problem(self.line, field, code, reason))

    def unknown(self, value: dict, allowed: frozenset, prefix: str) -> None:
        for key in value:
            if key not in allowed:
                name = f"{prefix}{key}"
                self.add(name, "unknown_field", f"Trường «{name}» không có trong mẫu nhập hồ sơ.")

    def text(self, value, field: str, *, required: bool = False, max_length: int = 200,
             min_length: int = 1) -> str | None:
        if value is None or value == "":
            if required:
                self.add(field, "required", f"«{label(field)}» là bắt buộc.")
            return None
        if not isinstance(value, str):
            self.add(field, "invalid_type", f"«{label(field)}» phải là chuỗi ký tự.")
            return None
        value = value.strip()
        if not value and required:
            self.add(field, "required", f"«{label(field)}» là bắt buộc.")
            return None
        if len(value) > max_length or len(value) < min_length:
            self.add(field, "invalid_length",
                     f"«{label(field)}» phải dài từ {min_length} đến {max_length} ký tự.")
            return None
        return value or None

    def choice(self, value, field: str, codes, *, required: bool = False) -> str | None:
        text = self.text(value, field, required=required, max_length=100)
        if text is None:
            return None
        if text not in codes:
            kind = field.rsplit(".", 1)[-1]
            labels = _CHOICE_LABELS.get(kind, {})
            allowed = " / ".join(labels.get(code, code) for code in codes)
            self.add(field, "invalid_choice", f"«{label(field)}» không nhận giá trị «{text}»; chỉ nhận: {allowed}.")
            return None
        return text

    def moment(self, value, field: str, *, required: bool = False, date_alone_at: time = time(0, 0)) -> datetime | None:
        text = self.text(value, field, required=required, max_length=40)
        if text is None:
            return None
        try:
            return parse_moment(text, date_alone_at=date_alone_at)
        except (ValueError, OverflowError):
            self.add(field, "invalid_time", f"«{label(field)}» «{text}» không phải thời điểm hợp lệ: dùng "
                                            "dd/mm/yyyy HH:MM (giờ Việt Nam) hoặc RFC 3339 có múi giờ.")
            return None

    def listed(self, value, field: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(field, "invalid_type", f"«{label(field)}» phải là một danh sách.")
            return []
        return value

    def mapping(self, value, field: str) -> dict:
        if not isinstance(value, dict):
            self.add(field, "invalid_type", f"«{label(field)}» phải là một đối tượng.")
            return {}
        return value

    def after(self, later: datetime | None, later_field: str, earlier: datetime | None, earlier_field: str) -> None:
        if later is not None and earlier is not None and later < earlier:
            self.add(later_field, "time_order",
                     f"«{label(later_field)}» ({shown(later)}) phải sau «{label(earlier_field)}» ({shown(earlier)}).")


# -- reference lookups, cached -----------------------------------------------------------------------
class _Reference:
    def __init__(self, desk: Desk):
        self.units = desk.units
        self.catalogue = desk.catalogue
        self.agencies = load_agencies()
        self._units: dict[tuple[str, date], tuple | None] = {}
        self._agencies: dict[tuple, str | None] = {}

    def unit(self, code: str, day: date):
        """(unit, path) in force on `day`, or None."""
        key = (code, day)
        if key not in self._units:
            unit = self.units.find(code, day)
            self._units[key] = None if unit is None else (unit, self.units.path(code, day))
        return self._units[key]

    def agency_name(self, procedure, unit_code: str, level: str, day: date) -> str | None:
        """The agency that handles `procedure` at that unit on that day: the first role the procedure
        names for the unit's level (as routing plans it), else the unit's People's Committee."""
        key = (procedure.code if procedure else None, unit_code, level, day)
        if key not in self._agencies:
            name = None
            roles = procedure.handlers_on(day).get(level, ()) if procedure else ()
            for role in roles:
                try:
                    name = self.agencies.for_role(role, unit_code, day).name
                    break
                except UnknownAgency:
                    continue
            if name is None:
                present = self.agencies.at_unit(unit_code, day)
                committees = [agency for agency in present if agency.id.endswith(".UBND")]
                name = (committees or list(present) or [None])[0]
                name = name.name if name is not None else None
            self._agencies[key] = name
        return self._agencies[key]


# -- one record ---------------------------------------------------------------------------------------
class _Checker:
    def __init__(self, desk: Desk, calendar: WorkingCalendar, today: date, report: Report):
        self.reference = _Reference(desk)
        self.calendar = calendar
        self.report = report
        self.start_of_today = datetime.combine(today, time(0, 0), VIETNAM_TZ).astimezone(timezone.utc)
        self.start_of_tomorrow = datetime.combine(today + timedelta(days=1), time(0, 0),
                                                  VIETNAM_TZ).astimezone(timezone.utc)
        self.today = today
        self._procedures: dict[str, object] = {}
        self._appointments: dict[tuple, datetime] = {}

    def appointment(self, received_at: datetime, procedure) -> datetime:
        """As receiving.stamp_received computes it for a live dossier, on intake's calendar (its overrides
        included). The calendar counts in whole minutes: cached per minute, time limit and unit."""
        local = received_at.astimezone(VIETNAM_TZ)
        key = (local.replace(second=0, microsecond=0), procedure.processing_time.value, procedure.processing_time.unit)
        due_at = self._appointments.get(key)
        if due_at is None:
            due_at = self.calendar.add(key[0], key[1], key[2]).astimezone(timezone.utc)
            self._appointments[key] = due_at
        return due_at

    def procedure(self, code: str):
        if code not in self._procedures:
            try:
                self._procedures[code] = self.reference.catalogue.get(code)
            except UnknownProcedure:
                self._procedures[code] = None
        return self._procedures[code]

    def unit(self, row: _Row, value, field: str, day: date | None, *, required: bool = True):
        code = row.text(value, field, required=required, max_length=5)
        if code is None:
            return None
        if not (code.isascii() and code.isdigit() and len(code) in (2, 3, 5)):
            row.add(field, "invalid_unit", f"«{label(field)}» «{code}» không phải mã đơn vị hành chính "
                                           "(2, 3 hoặc 5 chữ số, theo Quyết định 124/2004/QĐ-TTg).")
            return None
        if day is None:
            return None
        found = self.reference.unit(code, day)
        if found is None:
            row.add(field, "unknown_unit", f"Đơn vị {code} không tồn tại vào ngày {shown_day(day)}.")
        return found

    def past(self, row: _Row, moment: datetime | None, field: str) -> None:
        """A fact of the past: not after today."""
        if moment is not None and moment >= self.start_of_tomorrow:
            row.add(field, "in_future", f"«{label(field)}» ({shown(moment)}) không được ở tương lai.")

    def check(self, raw: Raw) -> Record | None:
        row = _Row(raw.line, self.report)
        data = raw.data
        row.unknown(data, RECORD_FIELDS, "")

        code = row.text(data.get("code"), "code", required=True, max_length=60, min_length=8)
        if code is not None and not CODE.fullmatch(code):
            row.add("code", "invalid_code", f"Mã hồ sơ «{code}» chỉ gồm chữ cái không dấu, chữ số và . - _ /.")
        procedure = None
        procedure_code = row.text(data.get("procedure_code"), "procedure_code", required=True, max_length=40)
        if procedure_code is not None:
            procedure = self.procedure(procedure_code)
            if procedure is None:
                row.add("procedure_code", "unknown_procedure",
                        f"Mã thủ tục {procedure_code} không có trong danh mục.")
        channel = row.choice(data.get("channel"), "channel", CHANNELS, required=True)

        received_at = row.moment(data.get("received_at"), "received_at", required=True)
        day = None
        if received_at is not None:
            day = local_day(received_at)
            if received_at >= self.start_of_today:
                row.add("received_at", "not_in_past",
                        f"Ngày tiếp nhận phải trước ngày hôm nay ({shown_day(self.today)}): chỉ nhập hồ sơ đã qua.")
        receiving = self.unit(row, data.get("receiving_unit"), "receiving_unit", day)
        competent_value = data.get("competent_unit")
        if competent_value in (None, "") and receiving is not None:
            competent = receiving  # as intake decides for a live dossier: the desk's own unit
        else:
            competent = self.unit(row, competent_value, "competent_unit", day, required=False)
        received_by = row.text(data.get("received_by"), "received_by")

        applicant = self.applicant(row, data.get("applicant"))
        return_method = row.choice(data.get("return_method"), "return_method", RETURN_METHODS, required=True)
        delivery_address = row.text(data.get("delivery_address"), "delivery_address", max_length=500, min_length=5)
        if return_method == "postal" and delivery_address is None and data.get("delivery_address") in (None, ""):
            row.add("delivery_address", "required", "Trả kết quả qua bưu chính cần «Địa chỉ nhận kết quả».")
        documents = self.documents(row, data.get("documents"))

        due_at = row.moment(data.get("due_at"), "due_at", date_alone_at=END_OF_OFFICE)
        if due_at is not None:
            row.after(due_at, "due_at", received_at, "received_at")
        elif received_at is not None and procedure is not None:
            due_at = self.appointment(received_at, procedure)

        processed_at = row.moment(data.get("processed_at"), "processed_at")
        result = row.choice(data.get("result"), "result", RESULTS)
        result_note = row.text(data.get("result_note"), "result_note", max_length=2000)
        returned_at = row.moment(data.get("returned_at"), "returned_at")
        returned_by = row.choice(data.get("returned_by"), "returned_by", RETURN_METHODS)
        withdrawn_at = row.moment(data.get("withdrawn_at"), "withdrawn_at")
        withdrawal_reason = row.text(data.get("withdrawal_reason"), "withdrawal_reason", max_length=2000)
        end = processed_at or withdrawn_at

        steps = self.steps(row, data.get("steps"), procedure, received_at, day, end)
        supplements = self.supplements(row, data.get("supplements"), received_at, end)

        # The end of the dossier, and the order of its moments.
        for moment, field in ((processed_at, "processed_at"), (returned_at, "returned_at"),
                              (withdrawn_at, "withdrawn_at")):
            row.after(moment, field, received_at, "received_at")
            self.past(row, moment, field)
        if processed_at is not None and result is None and data.get("result") in (None, ""):
            row.add("result", "required", "Hồ sơ có «Ngày có kết quả» cần «Kết quả» (Giải quyết / Từ chối).")
        if result is not None and processed_at is None and data.get("processed_at") in (None, ""):
            row.add("processed_at", "required", "Hồ sơ có «Kết quả» cần «Ngày có kết quả».")
        if returned_at is not None:
            if processed_at is None and data.get("processed_at") in (None, ""):
                row.add("returned_at", "not_processed", "Chỉ trả kết quả khi hồ sơ đã có kết quả («Ngày có kết quả»).")
            row.after(returned_at, "returned_at", processed_at, "processed_at")
            returned_by = returned_by or return_method
        elif returned_by is not None:
            row.add("returned_by", "not_returned", "«Hình thức trả kết quả» chỉ điền khi có «Ngày trả kết quả».")
        if withdrawn_at is not None and processed_at is not None:
            row.add("withdrawn_at", "processed_and_withdrawn",
                    "Hồ sơ không thể vừa có kết quả vừa bị rút: chỉ điền một trong «Ngày có kết quả» và «Ngày rút hồ sơ».")
        if withdrawal_reason is not None and withdrawn_at is None and data.get("withdrawn_at") in (None, ""):
            row.add("withdrawal_reason", "not_withdrawn", "«Lý do rút» chỉ điền khi có «Ngày rút hồ sơ».")
        # A dossier with any sign of an end (even one reported above as wrong) is judged as ended, so one
        # mistake is not reported twice.
        ended = any(data.get(name) not in (None, "") for name in ("processed_at", "result", "withdrawn_at"))
        self.life(row, steps, supplements, finished=ended, processed=processed_at is not None)

        if row.failed:
            return None
        values = {
            "code": code, "procedure_code": procedure.code, "procedure_name": procedure.name,
            "procedure_level": str(procedure.level_on(day)), "sector": procedure.sector or None,
            "inter_agency": procedure.inter_agency, "fee_vnd": procedure.fee_vnd, "channel": channel,
            "receiving_unit": receiving[0].code, "receiving_unit_path": receiving[1],
            "competent_unit": competent[0].code, "competent_unit_path": competent[1],
            "applicant": applicant, "return_method": return_method, "delivery_address": delivery_address,
            "documents": documents, "received_at": received_at, "received_by": received_by, "due_at": due_at,
            "steps": steps, "supplements": supplements, "processed_at": processed_at, "result": result,
            "result_note": result_note, "returned_at": returned_at, "returned_by": returned_by,
            "withdrawn_at": withdrawn_at, "withdrawal_reason": withdrawal_reason,
        }
        return Record(line=raw.line, fingerprint=fingerprint(values), **values)

    def applicant(self, row: _Row, value) -> Applicant | None:
        if value is None or value == {}:
            row.add("applicant.full_name", "required", "«Họ tên người nộp» là bắt buộc.")
            row.add("applicant.id_number", "required", "«Số CCCD/CMND» là bắt buộc.")
            return None
        value = row.mapping(value, "applicant")
        row.unknown(value, APPLICANT_FIELDS, "applicant.")
        full_name = row.text(value.get("full_name"), "applicant.full_name", required=True)
        id_number = row.text(value.get("id_number"), "applicant.id_number", required=True, max_length=20)
        if id_number is not None and not _matches(ID_NUMBER, id_number):
            row.add("applicant.id_number", "invalid_id_number",
                    f"Số CCCD/CMND «{id_number}» phải có 12 chữ số (CCCD) hoặc 9 chữ số (CMND cũ); "
                    "trong Excel hãy định dạng cột là văn bản để giữ số 0 đầu.")
        phone = row.text(value.get("phone"), "applicant.phone", max_length=20)
        if phone is not None:
            phone = re.sub(r"[\s.]", "", phone)
            if not _matches(PHONE, phone):
                row.add("applicant.phone", "invalid_phone", f"Số điện thoại «{phone}» không hợp lệ: 0 hoặc +84, rồi "
                                                            "9 chữ số bắt đầu bằng 3, 5, 7, 8, 9.")
        email = row.text(value.get("email"), "applicant.email", max_length=254)
        if email is not None and not _matches(_EMAIL, email):
            row.add("applicant.email", "invalid_email", f"Email «{email}» không hợp lệ.")
        address = row.text(value.get("address"), "applicant.address", max_length=500)
        if full_name is None or id_number is None:
            return None
        return Applicant(full_name=full_name, id_number=id_number, phone=phone, email=email, address=address)

    def documents(self, row: _Row, value) -> tuple[dict, ...]:
        items = row.listed(value, "documents")
        if len(items) > 50:
            row.add("documents", "too_many", "Tối đa 50 thành phần hồ sơ.")
            return ()
        documents = []
        for number, item in enumerate(items, start=1):
            field = f"documents.{number}"
            item = row.mapping(item, field)
            row.unknown(item, DOCUMENT_FIELDS, f"{field}.")
            name = row.text(item.get("name"), f"{field}.name", required=True, max_length=300)
            copy_type = item.get("copy_type")
            if copy_type in (None, ""):
                row.add(f"{field}.copy_type", "required",
                        f"Thành phần hồ sơ {number} «{name or ''}»: cần ghi hình thức (bản chính / bản sao / "
                        "điện tử), ví dụ «Tờ khai (bản chính, 1)».")
                copy_type = None
            else:
                copy_type = row.choice(copy_type, f"{field}.copy_type", COPY_TYPES)
            count = item.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
                row.add(f"{field}.count", "invalid_count", f"Thành phần hồ sơ {number}: số bản phải từ 1 đến 100.")
                count = None
            if name and copy_type and count:
                documents.append({"name": name, "copy_type": copy_type, "count": count})
        return tuple(documents)

    def steps(self, row: _Row, value, procedure, received_at: datetime | None, day: date | None,
              end: datetime | None) -> tuple[Step, ...]:
        items = row.listed(value, "steps")
        if len(items) > 50:
            row.add("steps", "too_many", "Tối đa 50 bước xử lý.")
            return ()
        steps: list[Step] = []
        previous_completed: tuple[datetime, str] | None = None
        for number, item in enumerate(items, start=1):
            field = f"steps.{number}"
            item = row.mapping(item, field)
            row.unknown(item, STEP_FIELDS, f"{field}.")
            assigned_at = row.moment(item.get("assigned_at"), f"{field}.assigned_at")
            due_at = row.moment(item.get("due_at"), f"{field}.due_at", date_alone_at=END_OF_OFFICE)
            completed_at = row.moment(item.get("completed_at"), f"{field}.completed_at")
            step_day = local_day(assigned_at) if assigned_at is not None else day
            found = self.unit(row, item.get("unit"), f"{field}.unit", step_day)
            agency = row.text(item.get("agency"), f"{field}.agency")
            action = row.choice(item.get("action"), f"{field}.action", ACTIONS) or (
                "process" if item.get("action") in (None, "") else None)
            outcome = row.choice(item.get("outcome"), f"{field}.outcome", OUTCOMES)
            handled_by = row.text(item.get("handled_by"), f"{field}.handled_by")
            note = row.text(item.get("note"), f"{field}.note", max_length=2000)
            if completed_at is not None and outcome is None and item.get("outcome") in (None, ""):
                row.add(f"{field}.outcome", "required", f"Bước {number} đã hoàn thành cần «{label(field + '.outcome')}» "
                                                        "(Đồng ý / Không đồng ý / Yêu cầu bổ sung).")
            if outcome is not None and completed_at is None and item.get("completed_at") in (None, ""):
                row.add(f"{field}.completed_at", "required",
                        f"Bước {number} có kết quả cần «{label(field + '.completed_at')}».")
            for moment, name in ((assigned_at, "assigned_at"), (completed_at, "completed_at")):
                row.after(moment, f"{field}.{name}", received_at, "received_at")
                self.past(row, moment, f"{field}.{name}")
                if end is not None and moment is not None and moment > end:
                    row.add(f"{field}.{name}", "time_order",
                            f"«{label(field + '.' + name)}» ({shown(moment)}) phải trước khi hồ sơ có kết quả hoặc "
                            f"bị rút ({shown(end)}).")
            row.after(completed_at, f"{field}.completed_at", assigned_at, f"{field}.assigned_at")
            if previous_completed is not None:
                row.after(assigned_at or completed_at, f"{field}.assigned_at" if assigned_at else f"{field}.completed_at",
                          *previous_completed)
            if completed_at is not None:
                previous_completed = (completed_at, f"{field}.completed_at")
            if found is None or action is None:
                continue
            unit, path = found
            level = str(unit.level)
            agency_name = agency or self.reference.agency_name(procedure, unit.code, level, step_day)
            if agency_name is None:
                row.add(f"{field}.agency", "unknown_agency",
                        f"Không xác định được cơ quan xử lý bước {number} tại đơn vị {unit.code}: "
                        f"hãy điền «{label(field + '.agency')}».")
                continue
            steps.append(Step(sequence=number, unit=unit.code, unit_path=path, level=level, agency_name=agency_name,
                              action=action, assigned_at=assigned_at, due_at=due_at, completed_at=completed_at,
                              outcome=outcome, handled_by=handled_by, note=note))
        return tuple(steps)

    def supplements(self, row: _Row, value, received_at: datetime | None,
                    end: datetime | None) -> tuple[Supplement, ...]:
        items = row.listed(value, "supplements")
        if len(items) > 20:
            row.add("supplements", "too_many", "Tối đa 20 lần bổ sung.")
            return ()
        supplements: list[Supplement] = []
        previous: tuple[datetime, str] | None = None
        for number, item in enumerate(items, start=1):
            field = f"supplements.{number}"
            item = row.mapping(item, field)
            row.unknown(item, SUPPLEMENT_FIELDS, f"{field}.")
            requested_at = row.moment(item.get("requested_at"), f"{field}.requested_at", required=True)
            answered_at = row.moment(item.get("received_at"), f"{field}.received_at")
            note = row.text(item.get("note"), f"{field}.note", required=True, max_length=2000)
            raw_items = row.listed(item.get("items"), f"{field}.items")
            wanted = []
            for text in raw_items:
                text = row.text(text, f"{field}.items", max_length=300)
                if text:
                    wanted.append(text)
            if len(wanted) > 30:
                row.add(f"{field}.items", "too_many", "Tối đa 30 giấy tờ cần bổ sung mỗi lần.")
            if item.get("received_at") in (None, "") and number != len(items):
                row.add(f"{field}.received_at", "required",
                        f"Lần bổ sung {number} chưa có «{label(field + '.received_at')}» nhưng không phải lần cuối: "
                        "chỉ lần bổ sung cuối cùng được để trống ngày nhận.")
            row.after(requested_at, f"{field}.requested_at", received_at, "received_at")
            row.after(answered_at, f"{field}.received_at", requested_at, f"{field}.requested_at")
            if previous is not None:
                row.after(requested_at, f"{field}.requested_at", *previous)
            for moment, name in ((requested_at, "requested_at"), (answered_at, "received_at")):
                self.past(row, moment, f"{field}.{name}")
                if end is not None and moment is not None and moment > end:
                    row.add(f"{field}.{name}", "time_order",
                            f"«{label(field + '.' + name)}» ({shown(moment)}) phải trước khi hồ sơ có kết quả hoặc "
                            f"bị rút ({shown(end)}).")
            if answered_at is not None:
                previous = (answered_at, f"{field}.received_at")
            if requested_at is not None and note is not None:
                supplements.append(Supplement(requested_at=requested_at, received_at=answered_at, note=note,
                                              items=tuple(wanted)))
        return tuple(supplements)

    def life(self, row: _Row, steps: tuple[Step, ...], supplements: tuple[Supplement, ...], *, finished: bool,
             processed: bool) -> None:
        """Completed steps, then at most one open (assigned) step, then planned ones; and an unfinished
        dossier has something open to finish."""
        states = [step.state for step in steps]
        seen_open = seen_planned = False
        for step, state in zip(steps, states):
            field = f"steps.{step.sequence}"
            if state == "completed" and (seen_open or seen_planned):
                row.add(field, "step_order", f"Bước {step.sequence} đã hoàn thành nhưng một bước trước nó chưa "
                                             "hoàn thành: các bước phải theo thứ tự.")
            elif state == "assigned" and (seen_open or seen_planned):
                row.add(field, "step_order", f"Bước {step.sequence} đang xử lý nhưng một bước trước nó chưa hoàn "
                                             "thành: chỉ một bước được đang xử lý, ngay sau các bước đã xong.")
            seen_open = seen_open or state == "assigned"
            seen_planned = seen_planned or state == "planned"
        open_step = next((step for step in steps if step.state == "assigned"), None)
        open_supplement = supplements[-1] if supplements and supplements[-1].received_at is None else None
        if finished:
            if open_step is not None:
                row.add(f"steps.{open_step.sequence}.completed_at", "open_step_after_end",
                        f"Hồ sơ đã có kết quả hoặc đã rút nhưng bước {open_step.sequence} chưa hoàn thành.")
            if processed and open_supplement is not None:
                row.add(f"supplements.{len(supplements)}.received_at", "open_supplement_after_end",
                        "Hồ sơ đã có kết quả nhưng lần bổ sung cuối chưa có ngày nhận.")
            return
        if open_supplement is not None:
            completed = [step for step in steps if step.state == "completed"]
            if open_step is not None:
                row.add(f"steps.{open_step.sequence}.assigned_at", "open_step_and_supplement",
                        "Hồ sơ đang chờ bổ sung thì không có bước nào đang xử lý.")
            elif completed and completed[-1].outcome != "supplement_required":
                row.add(f"steps.{completed[-1].sequence}.outcome", "supplement_not_required",
                        f"Hồ sơ đang chờ bổ sung: bước đã xong cuối cùng (bước {completed[-1].sequence}) phải có kết "
                        "quả «Yêu cầu bổ sung».")
            return
        if steps and open_step is None:
            row.add("steps", "nothing_open",
                    "Hồ sơ chưa có kết quả và chưa rút nên phải còn việc đang làm: một bước đang xử lý (có "
                    "«Ngày nhận», chưa có «Ngày hoàn thành»), hoặc một lần bổ sung chưa nhận, hoặc không ghi bước nào.")


def _matches(validator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


# -- the fingerprint ----------------------------------------------------------------------------------
def _utc(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(timezone.utc).isoformat()


def _canonical_step(step: Step) -> dict:
    return {"sequence": step.sequence, "unit": step.unit, "unit_path": step.unit_path, "level": step.level,
            "agency_name": step.agency_name, "action": step.action, "assigned_at": _utc(step.assigned_at),
            "due_at": _utc(step.due_at), "completed_at": _utc(step.completed_at), "outcome": step.outcome,
            "handled_by": step.handled_by, "note": step.note}


def _canonical_supplement(supplement: Supplement) -> dict:
    return {"requested_at": _utc(supplement.requested_at), "received_at": _utc(supplement.received_at),
            "note": supplement.note, "items": list(supplement.items)}


def canonical(values: dict) -> dict:
    """A record's fields as JSON values (times in UTC ISO), `line` and `fingerprint` left out. Written
    out field by field: generic recursion over 66,572 records costs seconds."""
    applicant = values["applicant"]
    out = {key: item for key, item in values.items() if key not in ("line", "fingerprint")}
    out["applicant"] = {"full_name": applicant.full_name, "id_number": applicant.id_number, "phone": applicant.phone,
                        "email": applicant.email, "address": applicant.address}
    out["documents"] = [dict(document) for document in values["documents"]]
    out["steps"] = [_canonical_step(step) for step in values["steps"]]
    out["supplements"] = [_canonical_supplement(supplement) for supplement in values["supplements"]]
    for name in _RECORD_TIMES:
        out[name] = _utc(values[name])
    return out


_RECORD_TIMES = ("received_at", "due_at", "processed_at", "returned_at", "withdrawn_at")


def fingerprint(values: dict) -> str:
    """sha256 of the canonical JSON (sorted keys, times in UTC ISO) of a record's fields, `line` and
    `fingerprint` left out: the same dossier on another line, or in another file, has the same one."""
    text = json.dumps(canonical(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_fingerprint(record: Record) -> str:
    return fingerprint({name: getattr(record, name) for name in record.__dataclass_fields__})


# -- the file ------------------------------------------------------------------------------------------
def _existing(session: Session, codes: list[str]) -> dict[str, set[str]]:
    """code → the fingerprints it was brought in with, for the codes already in intake, in bulk: the
    dossier's request_hash, and the fingerprint of the applied import record that wrote it. A dossier
    received live has neither, so any import of its code is a different dossier."""
    found: dict[str, set[str]] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start:start + LOOKUP_CHUNK]
        for code, stored in session.execute(select(dossiers.c.code, dossiers.c.request_hash)
                                            .where(dossiers.c.code.in_(chunk))):
            found[code] = {stored} if stored else set()
    present = list(found)
    for start in range(0, len(present), LOOKUP_CHUNK):
        chunk = present[start:start + LOOKUP_CHUNK]
        query = select(import_records.c.code, import_records.c.record["fingerprint"].as_string()).where(
            import_records.c.code.in_(chunk), import_records.c.applied.is_(True))
        for code, stored in session.execute(query):
            if stored:
                found[code].add(stored)
    return found


def check_file(data: bytes, filename: str, *, session: Session, today: date, desk: Desk | None = None,
               cap: int = PROBLEM_CAP) -> Checked:
    """Read and check a whole import file. `session` is an intake session (codes already there, the
    calendar's overrides); `today` the local day of the check (received times must be before it)."""
    desk = desk or Desk.from_environment()
    report = Report(cap)
    read = read_file(data, filename)
    for problem in read.problems:
        report.add(problem)
    checker = _Checker(desk, desk.calendars.calendar(session), today, report)
    records: list[Record] = []
    first_line: dict[str, int] = {}
    for raw in read.rows:
        record = checker.check(raw)
        code = raw.data.get("code")
        if isinstance(code, str) and code.strip():
            code = code.strip()
            if code in first_line:
                report.add(Problem(raw.line, "code", "duplicate_code",
                                   f"Mã hồ sơ {code} trùng với dòng {first_line[code]} của tệp."))
                continue
            first_line[code] = raw.line
        if record is not None:
            records.append(record)
    kept, already = records, 0
    existing = _existing(session, [record.code for record in records]) if records else {}
    if existing:
        kept = []
        for record in records:
            if record.code not in existing:
                kept.append(record)
            elif record.fingerprint in existing[record.code]:
                already += 1  # imported before with this very content: nothing to do
            else:
                report.add(Problem(record.line, "code", "code_taken",
                                   f"Mã hồ sơ {record.code} đã có trong hệ thống với nội dung khác."))
    report.items.sort(key=lambda problem: problem.line)
    return Checked(records=kept, problems=report.items, total=len(read.rows), already=already,
                   problems_total=report.total)


__all__ = ["Checked", "PROBLEM_CAP", "check_file", "fingerprint", "parse_moment", "record_fingerprint"]
