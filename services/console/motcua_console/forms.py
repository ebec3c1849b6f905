"""Forms on pages: what was typed (kept on every refusal), the errors beside each field, and the
services' problem answers turned into Vietnamese messages field by field.

The console does not re-validate what a service validates: it posts, and maps the refusal. It only
checks what the service cannot see (a confirmation box, two passwords that must match).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from .clients import Problem

# Messages by the services' validation codes; "{label}" is the field's Vietnamese label.
MESSAGES = {
    "required": "Nhập {label}.",
    "missing": "Nhập {label}.",
    "invalid_format": "{label} không đúng định dạng.",
    "invalid": "{label} không hợp lệ.",
    "invalid_choice": "Chọn {label} trong danh sách.",
    "invalid_length": "{label} quá dài hoặc quá ngắn.",
    "out_of_range": "{label} nằm ngoài khoảng cho phép.",
    "unknown_field": "{label} không được gửi kèm.",
    "invalid_character": "{label} chứa ký tự không được phép.",
}
FALLBACK = "{label} không hợp lệ."


def clean(value: str | None) -> str:
    """Every text input: NFC (a Vietnamese name typed two ways is one name) and stripped."""
    return unicodedata.normalize("NFC", value or "").strip()


@dataclass
class Form:
    """Typed values, errors per field (by the field's name on the page) and errors for the form."""
    values: MultiDict = field(default_factory=MultiDict)
    errors: dict[str, str] = field(default_factory=dict)
    form_errors: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, request_form, labels: dict[str, str] | None = None) -> "Form":
        values = MultiDict()
        for key, value in request_form.items(multi=True):
            if key != "csrf_token":
                values.add(key, clean(value))
        return cls(values=values, labels=labels or {})

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def getlist(self, name: str) -> list[str]:
        return self.values.getlist(name)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.form_errors

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def apply_problem(self, problem: Problem, field_names: dict[str, str] | None = None) -> None:
        """Place a service's refusal on the page: each `invalid_params[].name` (dotted, `applicant.phone`)
        mapped to the page's field name through `field_names` (or used as is when the page names it the
        same); a name the page does not have becomes a form-level error that still says which value."""
        field_names = field_names or {}
        placed = False
        for param in problem.invalid_params:
            name = str(param.get("name", ""))
            code = str(param.get("code", ""))
            target = field_names.get(name) or _by_prefix(field_names, name) or (name if name in self.labels else None)
            label = self.labels.get(target or "", None) or _humane(name)
            message = MESSAGES.get(code, FALLBACK).format(label=label)
            message = message[:1].upper() + message[1:]  # a label opening the sentence takes a capital
            if target:
                self.error(target, message)
            else:
                self.form_errors.append(message)
            placed = True
        if not placed:
            self.form_errors.append(problem_message(problem))


def _by_prefix(field_names: dict[str, str], name: str) -> str | None:
    """`documents.2.count` finds the page's `documents` entry when no finer mapping is given."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        found = field_names.get(".".join(parts[:cut]))
        if found:
            return found
    return None


def _humane(name: str) -> str:
    return name.replace("_", " ").replace(".", " ")


def problem_message(problem: Problem | None) -> str:
    """A Vietnamese sentence for a refusal that names no field. The services write their `detail` in
    Vietnamese for these; their validation `reason`s (often marshmallow's English) are never shown."""
    if problem is None:
        return "Hệ thống đang bận hoặc gián đoạn; chưa thực hiện được. Vui lòng thử lại sau ít phút."
    if problem.status == 409:
        return "Hồ sơ vừa được xử lý ở nơi khác hoặc không còn ở trạng thái cho phép thao tác này. " + problem.detail
    if problem.status == 403:
        return "Vai trò của bạn không được thực hiện thao tác này."
    return problem.detail or problem.title or "Yêu cầu không hợp lệ."
