"""One error envelope for every service: RFC 9457 problem+json with a machine-readable `code`.

Typed exceptions carry their status and code; `register_errors` turns them, werkzeug's HTTP errors
and webargs' validation errors into problem documents. Nothing a client sends can produce a 500
with a stack trace: the catch-all answers a bare problem and logs the exception type only.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

from flask import Flask, Response, json
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from .field_messages import translate

log = logging.getLogger("motcua.http")

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://motcua.gov.vn/problems/"

_HTTP_CODES = {
    400: ("bad_request", "Yêu cầu không hợp lệ"),
    401: ("unauthenticated", "Chưa xác thực"),
    403: ("forbidden", "Không có quyền"),
    404: ("not_found", "Không tìm thấy"),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ"),
    406: ("not_acceptable", "Không hỗ trợ định dạng yêu cầu"),
    409: ("conflict", "Xung đột trạng thái"),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn"),
    415: ("unsupported_media_type", "Kiểu nội dung không được hỗ trợ"),
    422: ("validation_failed", "Dữ liệu không hợp lệ"),
    428: ("precondition_required", "Thiếu điều kiện tiên quyết"),
    429: ("too_many_requests", "Quá nhiều yêu cầu"),
    500: ("internal_error", "Lỗi hệ thống"),
    503: ("unavailable", "Dịch vụ tạm thời không sẵn sàng"),
}

# English messages field_messages does not know, written by a service in marshmallow's words (e.g.
# "Not a valid date (YYYY-MM-DD).") → the code such a message has always had. marshmallow's own
# messages get their code and Vietnamese reason from field_messages.MESSAGES.
_FIELD_CODES = (
    ("Missing data for required field", "required"),
    ("Unknown field", "unknown_field"),
    ("Field may not be null", "null_not_allowed"),
    ("Not a valid", "invalid_type"),
    ("Invalid input type", "invalid_type"),
    ("Must be one of", "invalid_choice"),
    ("Length must be", "invalid_length"),
    ("Shorter than minimum length", "invalid_length"),
    ("Longer than maximum length", "invalid_length"),
    ("String does not match expected pattern", "invalid_format"),
    ("Must be greater than", "out_of_range"),
    ("Must be less than", "out_of_range"),
)


class ApiError(Exception):
    status = 400
    code = "bad_request"
    title = "Yêu cầu không hợp lệ"

    def __init__(self, detail: str | None = None, *, code: str | None = None, status: int | None = None,
                 title: str | None = None, invalid_params: list[dict[str, str]] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail
        self.code = code or self.code
        self.status = status or self.status
        self.title = title or self.title
        self.invalid_params = invalid_params


class Unauthenticated(ApiError):
    status, code, title = 401, "unauthenticated", "Chưa xác thực"


class Forbidden(ApiError):
    status, code, title = 403, "forbidden", "Không có quyền"


class NotFound(ApiError):
    status, code, title = 404, "not_found", "Không tìm thấy"


class Conflict(ApiError):
    status, code, title = 409, "conflict", "Xung đột trạng thái"


class Invalid(ApiError):
    status, code, title = 422, "validation_failed", "Dữ liệu không hợp lệ"


class RateLimited(ApiError):
    """429 with Retry-After: the client may try again after that many seconds."""

    status, code, title = 429, "rate_limited", "Quá nhiều yêu cầu"

    def __init__(self, retry_after: int, detail: str | None = None):
        super().__init__(detail or f"Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {retry_after} giây.")
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


def problem(status: int, code: str, title: str, detail: str | None = None,
            invalid_params: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"type": TYPE_BASE + code.replace("_", "-"), "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    if invalid_params:
        body["invalid_params"] = invalid_params
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_CONTENT_TYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def field_code(message: str) -> str:
    for prefix, code in _FIELD_CODES:
        if message.startswith(prefix):
            return code
    # A validator may name its own code: "code=unknown_procedure: Không có trong danh mục."
    return message.split(":", 1)[0].removeprefix("code=") if message.startswith("code=") else "invalid"


def flatten(messages: Any, prefix: str = "") -> Iterable[dict[str, str]]:
    """{"applicant": {"phone": ["..."]}} → [{"name": "applicant.phone", "code": ..., "reason": ...}]"""
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            yield from flatten(value, name)
    elif isinstance(messages, (list, tuple)) and messages and all(isinstance(m, str) for m in messages):
        for message in messages:
            # marshmallow's defaults are English: answer them in Vietnamese, with their usual code.
            code, reason = translate(message) or (field_code(message), message)
            yield {"name": prefix or "body", "code": code, "reason": reason}
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            yield from flatten(item, prefix)
    else:
        yield {"name": prefix or "body", "code": "invalid", "reason": str(messages)}


def _from_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    code, title = _HTTP_CODES.get(status, ("http_error", exc.name))
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    invalid = None
    detail = exc.description if status != 422 else "Một hoặc nhiều trường không hợp lệ."
    if messages:
        # webargs nests the messages under the location ("json", "query", ...); drop that level.
        inner = {}
        for location, fields in messages.items():
            inner.update(fields if isinstance(fields, dict) else {location: fields})
        invalid = list(flatten(inner))
        if status == 400 and any("Invalid JSON" in p["reason"] for p in invalid):
            code, detail, invalid = "malformed_json", "Nội dung không phải JSON hợp lệ (UTF-8).", None
        elif status in (400, 422):
            status, code, title = 422, "validation_failed", _HTTP_CODES[422][1]
    headers = {k: v for k, v in (data.get("headers") or {}).items()}
    if status == 405 and exc.get_response().headers.get("Allow"):
        headers["Allow"] = exc.get_response().headers["Allow"]
    return problem(status, code, title, detail, invalid, headers)


def register_errors(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return problem(exc.status, exc.code, exc.title, exc.detail, exc.invalid_params, getattr(exc, "headers", None))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return _from_http_exception(exc)

    @app.errorhandler(UnicodeDecodeError)
    def _bad_encoding(_exc: UnicodeDecodeError):
        return problem(400, "invalid_encoding", "Yêu cầu không hợp lệ", "Nội dung phải được mã hoá UTF-8.")

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_away(exc: Exception):
        # The database is restarting or unreachable: nothing was done, and a retry will work. A 503
        # with Retry-After tells clients (and the load balancer) so; a 500 would say "our bug".
        log.warning("database_unavailable", extra={"error": type(exc).__name__})
        code, title = _HTTP_CODES[503]
        return problem(503, code, title, "Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau ít giây.",
                       headers={"Retry-After": "5"})

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.error("unhandled_error", extra={"error": type(exc).__name__})
        code, title = _HTTP_CODES[500]
        return problem(500, code, title, "Đã có lỗi không mong muốn; lỗi đã được ghi lại.")
