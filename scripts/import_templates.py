"""The templates of an import file, written from ONE list of records so the three forms always say the same thing: six Sông Mã dossiers of 2019, one of each kind a
district brings in (resolved early, resolved after a supplement, inter-agency from commune to district,
returned by post, withdrawn, still in progress with an open step).

    .venv/bin/python scripts/import_templates.py [--out DIR]

The JSON-lines form is the canonical one (docs/import.md); the CSV and XLSX forms lay the same records
out one row per dossier with Vietnamese headers, as one-stop systems export them. They live in intake's
package (motcua_intake/imports/templates/), which serves them at GET /api/v1/imports/templates/<name>
for the console's download links.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from motcua_intake.imports import columns

ROOT = Path(__file__).resolve().parents[1]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NAME = "mau-nhap-ho-so"


def _step(unit, action, assigned_at, completed_at=None, outcome=None, handled_by=None, agency=None, due_at=None,
          note=None):
    return {"unit": unit, "agency": agency, "action": action, "assigned_at": assigned_at, "due_at": due_at,
            "completed_at": completed_at, "outcome": outcome, "handled_by": handled_by, "note": note}


def _dossier(**fields):
    record = {"code": None, "procedure_code": None, "channel": "counter", "receiving_unit": None,
              "competent_unit": None, "applicant": None, "return_method": "counter", "delivery_address": None,
              "documents": [], "received_at": None, "received_by": None, "due_at": None, "steps": [],
              "supplements": [], "processed_at": None, "result": None, "result_note": None, "returned_at": None,
              "returned_by": None, "withdrawn_at": None, "withdrawal_reason": None}
    record.update(fields)
    return record


RECORDS = [
    # Resolved early: a marital status certificate, 3 working days, done in 2 and returned the next day.
    _dossier(code="H52.04222-190315-0001", procedure_code="1.004873", receiving_unit="04222",
             applicant={"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
                        "email": None, "address": "Bản Hưng Mai, xã Chiềng Khương"},
             documents=[{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "copy_type": "original", "count": 1},
                        {"name": "Giấy chứng minh nhân dân", "copy_type": "copy", "count": 1}],
             received_at="2019-03-15T08:30:00+07:00", received_by="Lò Thị Hoa",
             steps=[_step("04222", "process", "2019-03-15T09:00:00+07:00", "2019-03-18T09:00:00+07:00", "approved",
                          "Cầm Văn Pọm")],
             processed_at="2019-03-18T09:00:00+07:00", result="approved",
             returned_at="2019-03-19T14:00:00+07:00", returned_by="counter"),
    # Resolved after a supplement: the justice officer asked for a missing copy, then approved.
    _dossier(code="H52.04168-190401-0007", procedure_code="1.004884", receiving_unit="04168",
             applicant={"full_name": "Cầm Thị Lan", "id_number": "014185002345", "phone": "0385123456",
                        "email": "camthilan@example.vn", "address": "Tổ dân phố 3, thị trấn Sông Mã"},
             documents=[{"name": "Tờ khai đăng ký lại khai sinh", "copy_type": "original", "count": 1},
                        {"name": "Bản sao giấy tờ tùy thân", "copy_type": "copy", "count": 1}],
             received_at="2019-04-01T09:15:00+07:00", received_by="Quàng Thị Thu",
             due_at="2019-04-08T09:15:00+07:00",
             steps=[_step("04168", "process", "2019-04-01T09:30:00+07:00", "2019-04-02T10:00:00+07:00",
                          "supplement_required", "Vì Văn Thắng", note="Thiếu bản sao Giấy khai sinh của mẹ"),
                    _step("04168", "process", "2019-04-05T08:00:00+07:00", "2019-04-09T10:00:00+07:00", "approved",
                          "Vì Văn Thắng")],
             supplements=[{"requested_at": "2019-04-02T10:00:00+07:00", "received_at": "2019-04-05T08:00:00+07:00",
                           "note": "Thiếu bản sao Giấy khai sinh của mẹ", "items": ["Bản sao Giấy khai sinh của mẹ"]}],
             processed_at="2019-04-09T10:00:00+07:00", result="approved",
             returned_at="2019-04-10T08:00:00+07:00", returned_by="counter"),
    # Inter-agency: a funeral allowance, checked by the commune, decided by the district's labour office.
    _dossier(code="H52.04195-190411-0002", procedure_code="1.001731", receiving_unit="04195", competent_unit="126",
             applicant={"full_name": "Quàng Văn Dũng", "id_number": "014092003456", "phone": "0978234567",
                        "email": None, "address": "Bản Nà Hin, xã Chiềng Sơ"},
             documents=[{"name": "Tờ khai đề nghị hỗ trợ chi phí mai táng", "copy_type": "original", "count": 1},
                        {"name": "Giấy chứng tử", "copy_type": "copy", "count": 1}],
             received_at="2019-04-11T14:00:00+07:00", received_by="Lường Thị Mai",
             steps=[_step("04195", "process", "2019-04-11T14:30:00+07:00", "2019-04-12T10:00:00+07:00", "approved",
                          "Tòng Văn Khương"),
                    _step("126", "appraise", "2019-04-12T14:00:00+07:00", "2019-04-16T16:00:00+07:00", "approved",
                          "Hoàng Đức Minh"),
                    _step("126", "sign", "2019-04-16T16:00:00+07:00", "2019-04-17T09:00:00+07:00", "approved",
                          "Nguyễn Văn Thắng", agency="Ủy ban nhân dân huyện Sông Mã")],
             processed_at="2019-04-17T09:00:00+07:00", result="approved",
             returned_at="2019-04-18T15:00:00+07:00", returned_by="counter"),
    # Filed online at the district desk, the result sent by post.
    _dossier(code="H52.126-190506-0003", procedure_code="2.000575", channel="online", receiving_unit="126",
             applicant={"full_name": "Lường Thị Xuân", "id_number": "014190004567", "phone": "0356789012",
                        "email": "xuan.luong@example.vn", "address": "Bản Co Sáy, xã Nà Nghịu"},
             return_method="postal", delivery_address="Bản Co Sáy, xã Nà Nghịu, huyện Sông Mã, tỉnh Sơn La",
             documents=[{"name": "Giấy đề nghị cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
                         "copy_type": "electronic", "count": 1}],
             received_at="2019-05-06T10:20:00+07:00", received_by="Lê Thị Ánh",
             steps=[_step("126", "process", "2019-05-06T10:30:00+07:00", "2019-05-08T15:00:00+07:00", "approved",
                          "Mùa A Páo")],
             processed_at="2019-05-08T15:00:00+07:00", result="approved", result_note="Đã cấp lại Giấy chứng nhận",
             returned_at="2019-05-10T10:00:00+07:00", returned_by="postal"),
    # Withdrawn by the citizen while the desk waited for a missing paper.
    _dossier(code="H52.04183-190520-0004", procedure_code="1.005461", receiving_unit="04183",
             applicant={"full_name": "Vì Thị Hoa", "id_number": "014188005678", "phone": None, "email": None,
                        "address": "Bản Huổi Mòn, xã Mường Lầm"},
             documents=[{"name": "Tờ khai đăng ký lại khai tử", "copy_type": "original", "count": 1}],
             received_at="2019-05-20T08:00:00+07:00", received_by="Lò Thị Hoa",
             supplements=[{"requested_at": "2019-05-21T09:00:00+07:00", "received_at": None,
                           "note": "Thiếu giấy tờ chứng minh việc khai tử trước đây",
                           "items": ["Bản sao Giấy chứng tử cũ", "Văn bản xác nhận của trưởng bản"]}],
             withdrawn_at="2019-05-27T15:30:00+07:00", withdrawal_reason="Gia đình không tìm được giấy tờ, xin rút hồ sơ"),
    # Still in progress: the commune has done its part, the district's social insurance office has it now.
    _dossier(code="H52.04222-190524-0011", procedure_code="MC.010", receiving_unit="04222",
             applicant={"full_name": "Tòng Văn Thắng", "id_number": "014091006789", "phone": "0911223344",
                        "email": None, "address": "Bản Pá Hốc, xã Chiềng Khương"},
             documents=[{"name": "Tờ khai đăng ký khai sinh", "copy_type": "original", "count": 1},
                        {"name": "Tờ khai thay đổi thông tin cư trú", "copy_type": "original", "count": 1},
                        {"name": "Giấy chứng sinh", "copy_type": "original", "count": 1}],
             received_at="2019-05-24T10:00:00+07:00", received_by="Lò Thị Hoa",
             steps=[_step("04222", "process", "2019-05-24T10:30:00+07:00", "2019-05-27T16:00:00+07:00", "approved",
                          "Cầm Văn Pọm"),
                    _step("126", "process", "2019-05-28T08:00:00+07:00", handled_by=None,
                          due_at="2019-06-14T17:00:00+07:00")]),
]


# -- the three forms --------------------------------------------------------------------------------------
def _local(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(VN).replace(tzinfo=None)


def _shown(text: str | None) -> str:
    moment = _local(text)
    return "" if moment is None else moment.strftime("%d/%m/%Y %H:%M")


def _documents(documents: list[dict]) -> str:
    return "; ".join(f"{d['name']} ({columns.COPY_TYPE_LABELS[d['copy_type']]}, {d['count']})" for d in documents)


def rows(records: list[dict], *, moment=_shown) -> tuple[list[str], list[list]]:
    """The header and one row per record, in the CSV/XLSX layout; `moment` renders a time cell."""
    steps = max(len(record["steps"]) for record in records)
    supplements = max(len(record["supplements"]) for record in records)
    header = columns.template_headers(steps, supplements)
    labels = {"channel": columns.CHANNEL_LABELS, "return_method": columns.CHANNEL_LABELS,
              "returned_by": columns.CHANNEL_LABELS, "result": columns.RESULT_LABELS,
              "action": columns.ACTION_LABELS, "outcome": columns.OUTCOME_LABELS}
    times = columns.TIME_FIELDS | columns.STEP_TIME_FIELDS | columns.SUPPLEMENT_TIME_FIELDS

    def cell(name: str, value):
        if value is None:
            return ""
        if name in labels:
            return labels[name][value]
        if name in times:
            return moment(value)
        return value

    table = []
    for record in records:
        row = []
        for field, _ in columns.DOSSIER_COLUMNS:
            if field.startswith("applicant."):
                value = record["applicant"][field[10:]]
            elif field == "documents":
                value = _documents(record["documents"])
            else:
                value = record[field]
            row.append(cell(field, value))
        for number in range(steps):
            step = record["steps"][number] if number < len(record["steps"]) else {}
            row += [cell(field, step.get(field)) for field, _ in columns.STEP_COLUMNS]
        for number in range(supplements):
            supplement = record["supplements"][number] if number < len(record["supplements"]) else {}
            row += ["; ".join(supplement.get("items") or []) if field == "items" else cell(field, supplement.get(field))
                    for field, _ in columns.SUPPLEMENT_COLUMNS]
        table.append(row)
    return header, table


def csv_bytes(records: list[dict]) -> bytes:
    header, table = rows(records)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(table)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # with BOM: Excel then opens it as UTF-8


def jsonl_bytes(records: list[dict]) -> bytes:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode("utf-8")


def xlsx_bytes(records: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, table = rows(records, moment=_local)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hồ sơ"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in table:
        sheet.append([None if value == "" else value for value in values])  # empty cells, not empty strings
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, str):
                cell.number_format = "@"  # text: identity numbers and phones keep their leading 0
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(40, len(str(column[0].value)) + 4))
    sheet.freeze_panes = "B2"
    fixed = datetime(2019, 6, 1)
    workbook.properties.created = workbook.properties.modified = fixed
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, render in (("csv", csv_bytes), ("xlsx", xlsx_bytes), ("jsonl", jsonl_bytes)):
        path = out / f"{NAME}.{suffix}"
        path.write_bytes(render(RECORDS))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "services" / "intake" / "motcua_intake" / "imports" / "templates")
    for path in write(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
