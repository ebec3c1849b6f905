"""The layout of a CSV or XLSX import file: one row per dossier, with Vietnamese headers as one-stop
systems export them, and numbered groups of columns for the steps ("Bước 1 - Đơn vị", ...) and the
supplements ("Bổ sung 1 - Ngày yêu cầu", ...), as many groups as the header has.

Headers are matched without regard to case, accents or separators ("BUOC 1 - DON VI", "Bước 1 – Đơn vị"
and "steps.1.unit" are the same column), and the English names of the JSON-lines form are accepted as
aliases. Values of the lists (channel, result, ...) are accepted in Vietnamese or as their English
codes; a value that matches neither is passed on unchanged, for validation to report.
"""
from __future__ import annotations

import re
from functools import lru_cache

from motcua_shared.reference import fold

# (field of the record, Vietnamese header) of the one-per-dossier columns, in the template's order.
DOSSIER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Mã hồ sơ"),
    ("procedure_code", "Mã thủ tục"),
    ("channel", "Kênh tiếp nhận"),
    ("receiving_unit", "Đơn vị tiếp nhận"),
    ("competent_unit", "Cơ quan giải quyết"),
    ("applicant.full_name", "Họ tên người nộp"),
    ("applicant.id_number", "Số CCCD/CMND"),
    ("applicant.phone", "Số điện thoại"),
    ("applicant.email", "Email"),
    ("applicant.address", "Địa chỉ"),
    ("return_method", "Hình thức nhận kết quả"),
    ("delivery_address", "Địa chỉ nhận kết quả"),
    ("documents", "Thành phần hồ sơ"),
    ("received_at", "Ngày tiếp nhận"),
    ("received_by", "Cán bộ tiếp nhận"),
    ("due_at", "Ngày hẹn trả"),
    ("processed_at", "Ngày có kết quả"),
    ("result", "Kết quả"),
    ("result_note", "Ghi chú kết quả"),
    ("returned_at", "Ngày trả kết quả"),
    ("returned_by", "Hình thức trả kết quả"),
    ("withdrawn_at", "Ngày rút hồ sơ"),
    ("withdrawal_reason", "Lý do rút"),
)
STEP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("unit", "Đơn vị"),
    ("agency", "Cơ quan"),
    ("action", "Công việc"),
    ("assigned_at", "Ngày nhận"),
    ("due_at", "Hạn xử lý"),
    ("completed_at", "Ngày hoàn thành"),
    ("outcome", "Kết quả"),
    ("handled_by", "Người xử lý"),
    ("note", "Ghi chú"),
)
SUPPLEMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("requested_at", "Ngày yêu cầu"),
    ("received_at", "Ngày nhận"),
    ("note", "Nội dung"),
    ("items", "Giấy tờ cần bổ sung"),
)
REQUIRED_FIELDS = ("code", "procedure_code", "channel", "receiving_unit", "applicant.full_name",
                   "applicant.id_number", "return_method", "received_at")
TIME_FIELDS = frozenset({"received_at", "due_at", "processed_at", "returned_at", "withdrawn_at"})
STEP_TIME_FIELDS = frozenset({"assigned_at", "due_at", "completed_at"})
SUPPLEMENT_TIME_FIELDS = frozenset({"requested_at", "received_at"})

# Values of the lists, in Vietnamese (folded) → the record's code. English codes map to themselves.
CHANNEL_VALUES = {"truc tiep": "counter", "tai quay": "counter", "truc tuyen": "online", "buu chinh": "postal",
                  "qua buu chinh": "postal", "buu chinh cong ich": "postal"}
RETURN_VALUES = CHANNEL_VALUES
RESULT_VALUES = {"giai quyet": "approved", "da giai quyet": "approved", "chap thuan": "approved",
                 "tu choi": "rejected", "khong giai quyet": "rejected"}
ACTION_VALUES = {"xu ly": "process", "tham dinh": "appraise", "phe duyet": "approve", "ky": "sign",
                 "ky duyet": "sign"}
OUTCOME_VALUES = {"dong y": "approved", "khong dong y": "rejected", "yeu cau bo sung": "supplement_required",
                  "bo sung": "supplement_required"}
COPY_TYPE_VALUES = {"ban chinh": "original", "ban sao": "copy", "dien tu": "electronic",
                    "ban dien tu": "electronic"}
VALUE_LISTS = {"channel": CHANNEL_VALUES, "return_method": RETURN_VALUES, "returned_by": RETURN_VALUES,
               "result": RESULT_VALUES}
STEP_VALUE_LISTS = {"action": ACTION_VALUES, "outcome": OUTCOME_VALUES}

# The Vietnamese label of each code, for the guide and the templates (the first one listed).
CHANNEL_LABELS = {"counter": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính"}
RESULT_LABELS = {"approved": "Giải quyết", "rejected": "Từ chối"}
ACTION_LABELS = {"process": "Xử lý", "appraise": "Thẩm định", "approve": "Phê duyệt", "sign": "Ký"}
OUTCOME_LABELS = {"approved": "Đồng ý", "rejected": "Không đồng ý", "supplement_required": "Yêu cầu bổ sung"}
COPY_TYPE_LABELS = {"original": "bản chính", "copy": "bản sao", "electronic": "điện tử"}

_SEPARATORS = re.compile(r"[\s\-–—_.:/\[\]()]+")
_GROUP = re.compile(r"^(buoc|step|steps|bo sung|supplement|supplements) (\d{1,2}) (.+)$")


def header_key(text: str) -> str:
    """A header as compared: folded (case and accents), separators collapsed to one space."""
    return _SEPARATORS.sub(" ", fold(text)).strip()


def _keys(field: str, label: str) -> list[str]:
    keys = [header_key(label), header_key(field)]
    if "." in field:  # "applicant.full_name" may also be given as "full_name"
        keys.append(header_key(field.split(".", 1)[1]))
    return keys


_DOSSIER_BY_KEY = {key: field for field, label in DOSSIER_COLUMNS for key in _keys(field, label)}
_DOSSIER_BY_KEY[header_key("Số CCCD")] = "applicant.id_number"
_DOSSIER_BY_KEY[header_key("Số CMND")] = "applicant.id_number"
_STEP_BY_KEY = {key: field for field, label in STEP_COLUMNS for key in _keys(field, label)}
_STEP_BY_KEY[header_key("agency_name")] = "agency"
_SUPPLEMENT_BY_KEY = {key: field for field, label in SUPPLEMENT_COLUMNS for key in _keys(field, label)}
_LABELS = {**dict(DOSSIER_COLUMNS), "applicant": "Người nộp", "steps": "Các bước xử lý", "supplements": "Bổ sung"}
_GROUP_WORDS = {"steps": "Bước", "supplements": "Bổ sung", "documents": "Thành phần hồ sơ"}
_DOCUMENT_LABELS = {"name": "tên", "copy_type": "hình thức", "count": "số bản"}
_STEP_LABELS = dict(STEP_COLUMNS)
_SUPPLEMENT_LABELS = dict(SUPPLEMENT_COLUMNS)


def column_of(header: str) -> tuple[str, int | None, str] | None:
    """What a header names: ("dossier", None, field), ("steps", n, field), ("supplements", n, field), or
    None when it names nothing known."""
    key = header_key(header)
    if key in _DOSSIER_BY_KEY:
        return "dossier", None, _DOSSIER_BY_KEY[key]
    match = _GROUP.match(key)
    if match is None:
        return None
    kind, number, rest = match.groups()
    group, fields = (("steps", _STEP_BY_KEY) if kind.startswith(("buoc", "step"))
                     else ("supplements", _SUPPLEMENT_BY_KEY))
    if rest not in fields or int(number) < 1:
        return None
    return group, int(number), fields[rest]


def label(field: str) -> str:
    """The Vietnamese column name of a record's field path, for the report ("steps.2.completed_at" →
    "Bước 2 - Ngày hoàn thành"); a path with no column (e.g. "documents.1.count") keeps its name."""
    parts = field.split(".")
    if len(parts) >= 2 and parts[0] in _GROUP_WORDS and parts[1].isdigit():
        if len(parts) == 2:
            return f"{_GROUP_WORDS[parts[0]]} {parts[1]}"
        if parts[0] == "documents":
            return f"Thành phần hồ sơ {parts[1]} - {_DOCUMENT_LABELS.get(parts[2], parts[2])}"
    if parts[0] in ("steps", "supplements") and len(parts) == 3 and parts[1].isdigit():
        labels, word = (_STEP_LABELS, "Bước") if parts[0] == "steps" else (_SUPPLEMENT_LABELS, "Bổ sung")
        if parts[2] == "agency_name":
            parts[2] = "agency"
        if parts[2] in labels:
            return f"{word} {parts[1]} - {labels[parts[2]]}"
    return _LABELS.get(field, field)


def step_headers(number: int) -> list[str]:
    return [f"Bước {number} - {label_}" for _, label_ in STEP_COLUMNS]


def supplement_headers(number: int) -> list[str]:
    return [f"Bổ sung {number} - {label_}" for _, label_ in SUPPLEMENT_COLUMNS]


def template_headers(steps: int, supplements: int) -> list[str]:
    """The header row of a file with that many step and supplement groups."""
    headers = [label_ for _, label_ in DOSSIER_COLUMNS]
    for number in range(1, steps + 1):
        headers += step_headers(number)
    for number in range(1, supplements + 1):
        headers += supplement_headers(number)
    return headers


@lru_cache(maxsize=4096)
def _folded(value: str) -> str:
    return fold(value)


def coded(value: str, values: dict[str, str], codes) -> str:
    """A list value as its code: the Vietnamese label or the code itself; anything else unchanged."""
    key = _folded(value)
    if key in values:
        return values[key]
    if key in codes:
        return key
    return value
