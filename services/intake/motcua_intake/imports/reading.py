"""Reading an import file into raw records of the JSON-lines shape (the canonical form), each with the
line it starts on, before any checking: CSV (UTF-8 with or without BOM, `,` or `;` as Excel writes in
Vietnamese locales), XLSX (the first sheet) and JSON lines.

Reading never stops at a bad row: what cannot be read is a Problem with its line, and the rest is read
on, so the report lists everything at once. Problems of the file as a whole are on line 0.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from xml.etree.ElementTree import ParseError

from . import xlsx
from .columns import (COPY_TYPE_VALUES, REQUIRED_FIELDS, STEP_VALUE_LISTS, VALUE_LISTS, coded,
                      column_of, label)
from .records import Problem

FORMATS = ("csv", "xlsx", "jsonl")
CODES = {"channel": ("counter", "online", "postal"), "return_method": ("counter", "postal", "online"),
         "returned_by": ("counter", "postal", "online"), "result": ("approved", "rejected"),
         "action": ("process", "appraise", "approve", "sign"),
         "outcome": ("approved", "rejected", "supplement_required"),
         "copy_type": ("original", "copy", "electronic")}
# "Tờ khai (bản chính, 1)", "Bản sao Giấy khai sinh (bản sao)": a name, then its form and count in brackets.
_DOCUMENT = re.compile(r"^(?P<name>.+?)\s*\(\s*(?P<form>[^,()]+?)\s*(?:,\s*(?P<count>[^,()]+?)\s*)?\)$")


@dataclass
class Raw:
    """One record as read, in the JSON-lines shape, and the line it starts on."""
    line: int
    data: dict


@dataclass
class Read:
    format: str | None
    rows: list[Raw] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def format_of(filename: str, data: bytes) -> str | None:
    """csv, xlsx or jsonl from the file's name, or from its first bytes when the name says nothing."""
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    return None


def read_file(data: bytes, filename: str) -> Read:
    kind = format_of(filename, data)
    if kind is None:
        return Read(None, problems=[Problem(0, "", "unsupported_file",
                                            "Chỉ nhận tệp CSV (.csv), Excel (.xlsx) hoặc JSON lines (.jsonl).")])
    if not data.strip():
        return Read(kind, problems=[Problem(0, "", "empty_file", "Tệp rỗng, không có hồ sơ nào.")])
    if kind == "xlsx":
        return _read_xlsx(data)
    text = _decode(data)
    if isinstance(text, Problem):
        return Read(kind, problems=[text])
    return _read_csv(text) if kind == "csv" else _read_jsonl(text)


def _decode(data: bytes) -> str | Problem:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return Problem(0, "", "not_utf8", f"Tệp không phải UTF-8 (byte lạ ở dòng {line}). Hãy lưu lại tệp với "
                                          "bảng mã UTF-8 (Excel: «CSV UTF-8»).")
    # Vietnamese typed on some keyboards comes decomposed (NFD): normalised once for the whole file.
    return unicodedata.normalize("NFC", text)


# -- CSV and XLSX: one row per dossier ---------------------------------------------------------------
class _Layout:
    """Which record field each column of the header feeds."""

    def __init__(self, header: list[str], problems: list[Problem], line: int = 1):
        self.columns: list[tuple[str, int | None, str] | None] = []
        seen: dict[tuple, str] = {}
        for text in header:
            text = (text or "").strip()
            if not text:
                self.columns.append(None)
                continue
            target = column_of(text)
            if target is None:
                problems.append(Problem(line, text, "unknown_column",
                                        f"Cột «{text}» không có trong mẫu nhập hồ sơ (xem docs/import.md)."))
            elif target in seen:
                problems.append(Problem(line, text, "duplicate_column",
                                        f"Cột «{text}» trùng với cột «{seen[target]}»."))
                target = None
            else:
                seen[target] = text
            self.columns.append(target)
        present = {field for kind, _, field in seen if kind == "dossier"}
        self.missing = [name for name in REQUIRED_FIELDS if name not in present]
        for name in self.missing:
            problems.append(Problem(0, name, "missing_column", f"Thiếu cột bắt buộc «{label(name)}»."))
        self.targets = [(index, target) for index, target in enumerate(self.columns) if target is not None]

    def record(self, cells: list[str], line: int, problems: list[Problem]) -> dict | None:
        """The row as a raw record, or None when it is blank. Empty cells are left out (read as null)."""
        width = len(self.columns)
        if len(cells) > width and any(cells[width:]):
            problems.append(Problem(line, "", "extra_cells",
                                    f"Dòng có nhiều ô hơn tiêu đề ({len(cells)} ô, tiêu đề có {width} cột)."))
        data: dict = {"applicant": {}}
        steps: dict[int, dict] = {}
        supplements: dict[int, dict] = {}
        filled = False
        for index, target in self.targets:
            if index >= len(cells):
                break
            value = cells[index]
            if not value:
                continue
            filled = True
            kind, number, name = target
            if kind == "dossier":
                if name.startswith("applicant."):
                    data["applicant"][name[10:]] = value
                elif name == "documents":
                    data["documents"] = parse_documents(value)
                elif name in VALUE_LISTS:
                    data[name] = coded(value, VALUE_LISTS[name], CODES[name])
                else:
                    data[name] = value
            elif kind == "steps":
                if name in STEP_VALUE_LISTS:
                    value = coded(value, STEP_VALUE_LISTS[name], CODES[name])
                steps.setdefault(number, {})[name] = value
            elif name == "items":
                supplements.setdefault(number, {})[name] = [item.strip() for item in value.split(";") if item.strip()]
            else:
                supplements.setdefault(number, {})[name] = value
        if not filled:
            return None
        data["steps"] = [group for _, group in sorted(steps.items())]
        data["supplements"] = [group for _, group in sorted(supplements.items())]
        return data


def parse_documents(cell: str) -> list[dict]:
    """"Tờ khai (bản chính, 1); Giấy khai sinh (bản sao, 2)" → the documents list; an item that does not
    read keeps its text as the name and no form, for validation to report."""
    documents = []
    for item in cell.split(";"):
        item = item.strip()
        if not item:
            continue
        match = _DOCUMENT.match(item)
        if match is None:
            documents.append({"name": item, "copy_type": None, "count": 1})
            continue
        count = match["count"]
        documents.append({"name": match["name"].strip(),
                          "copy_type": coded(match["form"], COPY_TYPE_VALUES, CODES["copy_type"]),
                          "count": int(count) if count and count.isdigit() else (count or 1)})
    return documents


def _read_rows(rows, read: Read) -> Read:
    """Rows as (line, cells); the first non-empty row is the header."""
    layout = None
    for line, cells in rows:
        if layout is None:
            if not any(cells):
                continue
            layout = _Layout(cells, read.problems, line)
            if layout.missing:
                return read
            continue
        record = layout.record(cells, line, read.problems)
        if record is not None:
            read.rows.append(Raw(line, record))
    if layout is None:
        read.problems.append(Problem(0, "", "empty_file", "Tệp rỗng, không có dòng tiêu đề."))
    elif not read.rows and not read.problems:
        read.problems.append(Problem(0, "", "empty_file", "Tệp chỉ có dòng tiêu đề, không có hồ sơ nào."))
    return read


def _delimiter(text: str) -> str:
    """`;` when the header has more of them than commas (Excel in a Vietnamese locale), else `,`."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _read_csv(text: str) -> Read:
    read = Read("csv")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)

    def rows():
        start = 1
        try:
            for cells in reader:
                yield start, [cell.strip() for cell in cells]
                start = reader.line_num + 1
        except csv.Error as exc:
            read.problems.append(Problem(start, "", "unreadable_row",
                                         f"Không đọc được dòng CSV ({exc}); kiểm tra dấu ngoặc kép."))
    return _read_rows(rows(), read)


def _xlsx_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # A date cell (no time of day) is a date alone: 17:00 for an appointment, 00:00 otherwise.
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return str(value)


def _read_xlsx(data: bytes) -> Read:
    read = Read("xlsx")
    try:
        rows = list(xlsx.rows(data))
    except (xlsx.Unsupported, zipfile.BadZipFile, ParseError, KeyError, ValueError, IndexError, OSError):
        rows = _openpyxl_rows(data, read)  # a workbook the fast reader does not know: openpyxl reads it
        if rows is None:
            return read
    return _read_rows(((line, [_xlsx_value(value) for value in values]) for line, values in rows), read)


def _openpyxl_rows(data: bytes, read: Read) -> list | None:
    import openpyxl  # only when needed: it takes a while to import

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return list(enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1))
        finally:
            workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as exc:
        read.problems.append(Problem(0, "", "unreadable_file",
                                     f"Không đọc được tệp Excel ({type(exc).__name__}); hãy lưu lại dạng .xlsx."))
        return None


# -- JSON lines ---------------------------------------------------------------------------------------
def _read_jsonl(text: str) -> Read:
    read = Read("jsonl")
    for line, content in enumerate(text.split("\n"), start=1):
        if not content.strip():
            continue
        try:
            value = json.loads(content)
        except ValueError as exc:
            read.problems.append(Problem(line, "", "invalid_json", f"Dòng không phải JSON hợp lệ: {exc.msg} "
                                                                   f"(cột {exc.colno})."))
            continue
        if not isinstance(value, dict):
            read.problems.append(Problem(line, "", "not_an_object", "Mỗi dòng phải là một đối tượng JSON {...}."))
            continue
        # The file was normalised as text; only \\u escapes can still spell decomposed letters.
        read.rows.append(Raw(line, _nfc(value) if "\\u" in content else value))
    if not read.rows and not read.problems:
        read.problems.append(Problem(0, "", "empty_file", "Tệp rỗng, không có hồ sơ nào."))
    return read


def _nfc(value):
    """JSON escapes (\\u0301) can still spell decomposed text after the file was normalised."""
    if isinstance(value, str):
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(key): _nfc(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    return value


__all__ = ["FORMATS", "Raw", "Read", "format_of", "read_file", "parse_documents"]
