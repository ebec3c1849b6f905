"""Reading a JSON request body that a hostile client wrote.

`json.loads` alone lets through what later breaks a request with a 500: 10,000 nested brackets
(RecursionError in the decoder or in whatever walks the value next), a 5,000-digit number (ValueError
from int()), `NaN`/`Infinity` (not JSON), lone UTF-16 surrogates and NUL characters written as `\\u`
escapes (PostgreSQL refuses both, after the request has already done its work). Each is refused
here, before any view runs, with a problem+json a client can act on.
"""
from __future__ import annotations

import json
from typing import Any

from .errors import ApiError

MAX_DEPTH = 32  # our deepest body (dossier → documents → item) needs 3; room for growth, none for abuse


class JsonTooDeep(ApiError):
    status, code, title = 400, "json_too_deep", "Yêu cầu không hợp lệ"


class InvalidCharacter(ApiError):
    status, code, title = 400, "invalid_character", "Yêu cầu không hợp lệ"


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _walk(value: Any) -> None:
    """Depth and characters, iteratively: a recursive walk would fail on the very input it guards against."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise JsonTooDeep(f"Dữ liệu JSON lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp).")
        if isinstance(item, dict):
            for key, child in item.items():
                _check_text(key)
                stack.append((child, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in item)


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise InvalidCharacter("Dữ liệu không được chứa ký tự NUL (\\u0000).")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not a character, cannot be stored or shown
        raise InvalidCharacter("Dữ liệu chứa ký tự Unicode không hợp lệ (surrogate đơn lẻ).") from None


def parse(body: bytes) -> Any:
    """The decoded body; json.JSONDecodeError for anything that is not UTF-8 JSON (webargs answers
    400 malformed_json), JsonTooDeep or InvalidCharacter for valid JSON we will not take."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError(f"Bytes decoding error: {exc.reason}", doc="?", pos=exc.start) from None
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise JsonTooDeep(f"Dữ liệu JSON lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp).") from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # a number int() will not convert, NaN, Infinity
        raise json.JSONDecodeError(str(exc)[:80], doc=text[:1] or "?", pos=0) from None
    _walk(value)
    return value
