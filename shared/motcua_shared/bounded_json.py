"""Decoding JSON that a hostile writer produced: an HTTP client, or a partner with write access to a queue.

`json.loads` alone lets through what breaks whoever handles the value next, or raises what its caller
does not expect: 10,000 nested brackets (RecursionError in the decoder, or in whatever walks the value
next), a 5,000-digit number (ValueError from int()), `NaN`/`Infinity` (not JSON, and refused by
PostgreSQL's jsonb), lone UTF-16 surrogates and NUL characters written as `\\u` escapes (PostgreSQL
refuses both, after the work has been done), and bodies of any size. Everything here is refused with
one exception, `RefusedJson`, whose `code` says why; the HTTP layer turns it into a problem+json, the
message consumer into a dead letter. Nothing is checked recursively: a recursive walk would fail on the
very input it guards against.
"""
from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32  # our deepest document (an imported part: envelope → data → events → event → data → …) needs 8

# A decoded string holds a NUL or a lone surrogate only where the text wrote a `\u` escape of one: the
# UTF-8 decoder refuses encoded surrogates and json's strict mode raw control characters. A text
# without such an escape (nearly every one) needs only its depth checked, not each of its strings.
# Matches more than it must (an escaped backslash before "u0000", a valid surrogate pair): those texts
# are merely checked in full.
_ESCAPED_NUL_OR_SURROGATE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


class RefusedJson(ValueError):
    """A body we will not take; `code` is the machine reason, the message a Vietnamese sentence."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(body: bytes, *, max_depth: int = MAX_DEPTH, max_bytes: int | None = None) -> Any:
    """The decoded value of a UTF-8 JSON body within the bounds, or RefusedJson.

    Codes: `too_large`, `not_utf8`, `malformed_json`, `number_too_long` (an integer beyond Python's
    4,300-digit conversion limit), `json_too_deep`, `invalid_character` (NUL or a lone surrogate)."""
    if max_bytes is not None and len(body) > max_bytes:
        raise RefusedJson("too_large", f"Dữ liệu quá lớn: {len(body):,} byte (tối đa {max_bytes:,}).")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RefusedJson("not_utf8", f"Dữ liệu không phải UTF-8 (byte {exc.start}).") from None
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise RefusedJson("json_too_deep", f"Dữ liệu JSON lồng nhau quá sâu (tối đa {max_depth} cấp).") from None
    except json.JSONDecodeError as exc:
        raise RefusedJson("malformed_json", f"Dữ liệu JSON không đúng cú pháp: {exc.msg} (vị trí {exc.pos}).") from None
    except ValueError as exc:  # int() refused a number, or NaN/Infinity
        code = "number_too_long" if "digits" in str(exc) else "malformed_json"
        raise RefusedJson(code, f"Dữ liệu JSON không hợp lệ: {str(exc)[:80]}.") from None
    check(value, max_depth=max_depth, texts=_ESCAPED_NUL_OR_SURROGATE.search(text) is not None)
    return value


def check(value: Any, *, max_depth: int = MAX_DEPTH, texts: bool = True) -> None:
    """Depth and (unless `texts` is false) characters of an already decoded value, iteratively."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if texts:
                check_text(item)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > max_depth:
            raise RefusedJson("json_too_deep", f"Dữ liệu JSON lồng nhau quá sâu (tối đa {max_depth} cấp).")
        if isinstance(item, dict):
            for key, child in item.items():
                if texts:
                    check_text(key)
                stack.append((child, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in item)


def check_text(text: str) -> None:
    if "\x00" in text:
        raise RefusedJson("invalid_character", "Dữ liệu không được chứa ký tự NUL (\\u0000).")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not a character, cannot be stored or shown
        raise RefusedJson("invalid_character", "Dữ liệu chứa ký tự Unicode không hợp lệ (surrogate đơn lẻ).") from None
