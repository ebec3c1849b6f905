"""Reading an import file (issue 17): CSV with `,` or `;`, with or without BOM, XLSX and JSON lines all read
into the same raw records, headers matched whatever their case, accents or language, and whatever
cannot be read reported with its line instead of stopping the reading."""
from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from motcua_intake.imports.columns import column_of, label, template_headers
from motcua_intake.imports.reading import parse_documents, read_file

TEMPLATES = Path(__file__).resolve().parents[2] / "services" / "intake" / "motcua_intake" / "imports" / "templates"
HEADER = ["Mã hồ sơ", "Mã thủ tục", "Kênh tiếp nhận", "Đơn vị tiếp nhận", "Họ tên người nộp", "Số CCCD/CMND",
          "Hình thức nhận kết quả", "Thành phần hồ sơ", "Ngày tiếp nhận", "Ngày có kết quả", "Kết quả",
          "Bước 1 - Đơn vị", "Bước 1 - Công việc", "Bước 1 - Ngày nhận", "Bước 1 - Ngày hoàn thành",
          "Bước 1 - Kết quả", "Bổ sung 1 - Ngày yêu cầu", "Bổ sung 1 - Ngày nhận", "Bổ sung 1 - Nội dung",
          "Bổ sung 1 - Giấy tờ cần bổ sung"]
ROW = ["H52.04222-190315-0001", "1.004873", "Trực tiếp", "04222", "Lò Văn Hùng", "014090001234", "Bưu chính",
       "Tờ khai (bản chính, 1); Giấy khai sinh (bản sao, 2)", "15/03/2019 08:30", "18/03/2019 09:00", "Giải quyết",
       "04222", "Xử lý", "15/03/2019 09:00", "18/03/2019 09:00", "Đồng ý", "15/03/2019 10:00", "16/03/2019 08:00",
       "Thiếu bản sao", "Bản sao Giấy khai sinh; Sổ hộ khẩu"]
EXPECTED = {
    "code": "H52.04222-190315-0001", "procedure_code": "1.004873", "channel": "counter", "receiving_unit": "04222",
    "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234"}, "return_method": "postal",
    "documents": [{"name": "Tờ khai", "copy_type": "original", "count": 1},
                  {"name": "Giấy khai sinh", "copy_type": "copy", "count": 2}],
    "received_at": "15/03/2019 08:30", "processed_at": "18/03/2019 09:00", "result": "approved",
    "steps": [{"unit": "04222", "action": "process", "assigned_at": "15/03/2019 09:00",
               "completed_at": "18/03/2019 09:00", "outcome": "approved"}],
    "supplements": [{"requested_at": "15/03/2019 10:00", "received_at": "16/03/2019 08:00", "note": "Thiếu bản sao",
                     "items": ["Bản sao Giấy khai sinh", "Sổ hộ khẩu"]}],
}


def csv_file(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    import csv

    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("delimiter,bom", [(",", False), (";", False), (",", True), (";", True)])
def test_csv_with_comma_or_semicolon_with_or_without_bom(delimiter, bom):
    read = read_file(csv_file([HEADER, ROW], delimiter, bom), "ho-so.csv")

    assert read.problems == []
    assert [(raw.line, raw.data) for raw in read.rows] == [(2, EXPECTED)]


def test_xlsx_reads_like_csv_with_dates_as_local_times():
    from datetime import datetime

    row = list(ROW)
    row[8] = datetime(2019, 3, 15, 8, 30)  # a date cell, as Excel stores it
    row[9] = datetime(2019, 3, 18, 9, 0, 0)
    read = read_file(xlsx_file([HEADER, row]), "ho-so.xlsx")

    assert read.problems == []
    assert read.rows[0].line == 2
    assert read.rows[0].data == {**EXPECTED, "received_at": "15/03/2019 08:30:00", "processed_at": "18/03/2019 09:00:00"}


def test_xlsx_date_without_time_is_a_date_alone():
    from datetime import datetime

    read = read_file(xlsx_file([["Mã hồ sơ", "Ngày hẹn trả"] + HEADER[1:], ["X", datetime(2019, 3, 20)] + ROW[1:]]),
                     "a.xlsx")
    assert read.rows[0].data["due_at"] == "20/03/2019"


def test_jsonl_is_the_canonical_form_with_its_line_numbers():
    lines = [json.dumps({"code": "A-00000001"}), "", json.dumps({"code": "A-00000002"})]
    read = read_file("\n".join(lines).encode(), "ho-so.jsonl")

    assert read.problems == []
    assert [(raw.line, raw.data["code"]) for raw in read.rows] == [(1, "A-00000001"), (3, "A-00000002")]


@pytest.mark.parametrize("header", ["MA HO SO", "mã hồ sơ", "Ma_ho_so", "code", "CODE"])
def test_headers_match_whatever_case_accents_or_the_english_name(header):
    assert column_of(header) == ("dossier", None, "code")


@pytest.mark.parametrize("header,expected", [
    ("BUOC 2 - NGAY HOAN THANH", ("steps", 2, "completed_at")),
    ("Bước 10 – Đơn vị", ("steps", 10, "unit")),
    ("steps.1.unit", ("steps", 1, "unit")),
    ("Bổ sung 1 - Nội dung", ("supplements", 1, "note")),
    ("supplements.3.requested_at", ("supplements", 3, "requested_at")),
    ("applicant.full_name", ("dossier", None, "applicant.full_name")),
    ("full_name", ("dossier", None, "applicant.full_name")),
    ("Số CCCD", ("dossier", None, "applicant.id_number")),
])
def test_numbered_groups_and_aliases(header, expected):
    assert column_of(header) == expected


def test_english_headers_read_the_same_record():
    english = ["code", "procedure_code", "channel", "receiving_unit", "applicant.full_name", "applicant.id_number",
               "return_method", "documents", "received_at", "processed_at", "result", "steps.1.unit",
               "steps.1.action", "steps.1.assigned_at", "steps.1.completed_at", "steps.1.outcome",
               "supplements.1.requested_at", "supplements.1.received_at", "supplements.1.note",
               "supplements.1.items"]
    read = read_file(csv_file([english, ROW]), "ho-so.csv")
    assert read.problems == []
    assert read.rows[0].data == EXPECTED


def test_unknown_duplicate_and_missing_columns_are_problems_of_the_header():
    header = ["Mã hồ sơ", "Mã thủ tục", "Kênh tiếp nhận", "Đơn vị tiếp nhận", "Họ tên người nộp", "Số CCCD/CMND",
              "Hình thức nhận kết quả", "Ghi chú nội bộ", "Mã thủ tục"]
    read = read_file(csv_file([header, ["X"] * len(header)]), "ho-so.csv")

    found = {(problem.line, problem.field, problem.code) for problem in read.problems}
    assert found == {(1, "Ghi chú nội bộ", "unknown_column"), (1, "Mã thủ tục", "duplicate_column"),
                     (0, "received_at", "missing_column")}
    missing = next(problem for problem in read.problems if problem.code == "missing_column")
    assert missing.reason == "Thiếu cột bắt buộc «Ngày tiếp nhận»."
    assert read.rows == []  # without a required column no row can be checked


def test_unknown_column_does_not_stop_the_reading_of_rows():
    read = read_file(csv_file([HEADER + ["Cột lạ"], ROW + ["x"], ROW + [""]]), "ho-so.csv")
    assert [problem.code for problem in read.problems] == ["unknown_column"]
    assert [raw.line for raw in read.rows] == [2, 3]


def test_not_utf8_empty_and_unsupported_files_are_problems_of_the_file():
    latin = read_file("Mã hồ sơ,Mã thủ tục\n".encode("cp1258", errors="replace") + b"\xff\xfe\n", "a.csv")
    assert [(p.line, p.code) for p in latin.problems] == [(0, "not_utf8")]
    assert "UTF-8" in latin.problems[0].reason

    assert [(p.line, p.code) for p in read_file(b"", "a.csv").problems] == [(0, "empty_file")]
    assert [(p.line, p.code) for p in read_file(b"\xef\xbb\xbf\r\n", "a.csv").problems] == [(0, "empty_file")]
    header_only = read_file(csv_file([HEADER]), "a.csv")
    assert [(p.line, p.code) for p in header_only.problems] == [(0, "empty_file")]
    assert [(p.line, p.code) for p in read_file(b"%PDF-1.4", "a.pdf").problems] == [(0, "unsupported_file")]
    assert [(p.line, p.code) for p in read_file(b"PK\x03\x04 broken", "a.xlsx").problems] == [(0, "unreadable_file")]


def test_rows_that_cannot_be_read_are_reported_with_their_line_and_the_rest_is_read():
    lines = [json.dumps({"code": "A-00000001"}), "{not json", "[1, 2]", json.dumps({"code": "A-00000004"})]
    read = read_file("\n".join(lines).encode(), "a.jsonl")
    assert [(p.line, p.code) for p in read.problems] == [(2, "invalid_json"), (3, "not_an_object")]
    assert [raw.line for raw in read.rows] == [1, 4]

    extra = read_file(csv_file([HEADER, ROW + ["ô thừa"]]), "a.csv")
    assert [(p.line, p.code) for p in extra.problems] == [(2, "extra_cells")]


def test_a_quoted_cell_over_several_lines_keeps_the_next_rows_lines_right():
    note_row = list(ROW)
    note_row[18] = "Thiếu bản sao\ncủa mẹ\nvà của cha"
    read = read_file(csv_file([HEADER, note_row, ROW]), "a.csv")
    assert [raw.line for raw in read.rows] == [2, 5]
    assert read.rows[0].data["supplements"][0]["note"] == "Thiếu bản sao\ncủa mẹ\nvà của cha"


def test_text_is_nfc_normalised():
    decomposed = [unicodedata.normalize("NFD", cell) for cell in ROW]
    read = read_file(csv_file([HEADER, decomposed]), "a.csv")
    assert read.rows[0].data["applicant"]["full_name"] == unicodedata.normalize("NFC", "Lò Văn Hùng")
    assert read.rows[0].data["channel"] == "counter"

    escaped = json.dumps({"code": "A-00000001", "applicant": {"full_name": decomposed[4]}}, ensure_ascii=True)
    jsonl = read_file(escaped.encode(), "a.jsonl")
    assert jsonl.rows[0].data["applicant"]["full_name"] == "Lò Văn Hùng"
    assert unicodedata.is_normalized("NFC", jsonl.rows[0].data["applicant"]["full_name"])


def test_values_outside_the_lists_are_passed_on_for_validation_to_report():
    row = list(ROW)
    row[2] = "Xe đạp"
    assert read_file(csv_file([HEADER, row]), "a.csv").rows[0].data["channel"] == "Xe đạp"
    row[2] = "online"
    assert read_file(csv_file([HEADER, row]), "a.csv").rows[0].data["channel"] == "online"


def test_documents_cell():
    assert parse_documents("Tờ khai (bản chính, 1); Ảnh 4x6 (bản sao)") == [
        {"name": "Tờ khai", "copy_type": "original", "count": 1}, {"name": "Ảnh 4x6", "copy_type": "copy", "count": 1}]
    assert parse_documents("Giấy tờ không rõ") == [{"name": "Giấy tờ không rõ", "copy_type": None, "count": 1}]


def test_labels_for_the_report():
    assert label("steps.2.completed_at") == "Bước 2 - Ngày hoàn thành"
    assert label("supplements.1.note") == "Bổ sung 1 - Nội dung"
    assert label("applicant.id_number") == "Số CCCD/CMND"
    assert template_headers(1, 0)[-1] == "Bước 1 - Ghi chú"


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "jsonl"])
def test_the_templates_read_without_problems(suffix):
    read = read_file((TEMPLATES / f"mau-nhap-ho-so.{suffix}").read_bytes(), f"mau.{suffix}")
    assert read.problems == []
    assert len(read.rows) == 6


def _as_read(rows) -> list[tuple[int, list[str]]]:
    """Rows as reading.py sees them: cell values as text, blank rows and trailing blank cells left out."""
    from motcua_intake.imports.reading import _xlsx_value

    out = []
    for line, values in rows:
        cells = [_xlsx_value(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append((line, cells))
    return out


def test_the_fast_xlsx_reader_reads_what_openpyxl_reads():
    from datetime import date as day, datetime

    from openpyxl import load_workbook

    from motcua_intake.imports import xlsx

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã hồ sơ", "Số", "Thực", "Ngày", "Ngày giờ", "Đúng", None, "Cuối"])
    sheet.append(["Ảnh ngược", 14090001234, 1.5, day(2019, 3, 15), datetime(2019, 3, 15, 8, 30), True, None, "x"])
    sheet.append([])
    sheet.append(["dòng 4", None, None, None, datetime(2019, 12, 31, 23, 59, 59)])
    sheet["D4"].number_format = "dd/mm/yyyy"
    sheet["C4"] = "=1+1"
    second = workbook.create_sheet("Khác")
    second.append(["không đọc"])
    out = io.BytesIO()
    workbook.save(out)

    for data in (out.getvalue(), (TEMPLATES / "mau-nhap-ho-so.xlsx").read_bytes()):
        reference = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        expected = _as_read(enumerate(reference.worksheets[0].iter_rows(values_only=True), start=1))
        reference.close()
        assert _as_read(xlsx.rows(data)) == expected
        assert len(expected) > 2


def test_a_workbook_the_fast_reader_refuses_is_read_by_openpyxl(monkeypatch):
    from motcua_intake.imports import xlsx

    def refuse(data):
        raise xlsx.Unsupported("test")

    monkeypatch.setattr(xlsx, "rows", refuse)
    read = read_file((TEMPLATES / "mau-nhap-ho-so.xlsx").read_bytes(), "mau.xlsx")
    assert read.problems == [] and len(read.rows) == 6
