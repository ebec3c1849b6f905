"""Reading a JSON request body that a hostile client wrote: `bounded_json` decides what is refused,
this module says it in HTTP. Malformed bodies keep webargs' 400 `malformed_json`; valid JSON we will
not take (too deep, NUL, lone surrogates) gets a problem+json of its own, before any view runs."""
from __future__ import annotations

import json
from typing import Any

from .. import bounded_json
from .errors import ApiError

MAX_DEPTH = bounded_json.MAX_DEPTH


class JsonTooDeep(ApiError):
    status, code, title = 400, "json_too_deep", "Yêu cầu không hợp lệ"


class InvalidCharacter(ApiError):
    status, code, title = 400, "invalid_character", "Yêu cầu không hợp lệ"


_REFUSALS = {"json_too_deep": JsonTooDeep, "invalid_character": InvalidCharacter}


# Where the arguments parser leaves the body it decoded, for a view that needs the JSON as sent too
# (intake's idempotency fingerprint): decoded once per request, not once per reader.
_DECODED = "motcua.decoded_json_body"
_NOT_DECODED = object()


def remember(environ: dict, value: Any) -> Any:
    environ[_DECODED] = value
    return value


def decoded(environ: dict, body: bytes) -> Any:
    """The request's body as the arguments parser decoded it, or decoded now (json_input's limits)."""
    value = environ.get(_DECODED, _NOT_DECODED)
    return parse(body) if value is _NOT_DECODED else value


def parse(body: bytes) -> Any:
    """The decoded body; json.JSONDecodeError for anything that is not UTF-8 JSON (webargs answers
    400 malformed_json), JsonTooDeep or InvalidCharacter for valid JSON we will not take."""
    try:
        return bounded_json.loads(body)
    except bounded_json.RefusedJson as exc:
        refusal = _REFUSALS.get(exc.code)
        if refusal is not None:
            raise refusal(str(exc)) from None
        # not UTF-8, malformed, NaN/Infinity, a number int() will not convert
        raise json.JSONDecodeError(str(exc)[:80], doc="?", pos=0) from None
