"""JSON log lines with the correlation id, and a last line of defence against personal data.

Code logs identifiers (event ids, dossier codes), never people. The redaction below still scrubs
anything shaped like a citizen identity number, a phone number or an e-mail address from every
message and field, because one careless `extra=` must not put a CCCD number into a log archive.
"""
from __future__ import annotations

import json
import logging
import re
import sys
from datetime import datetime, timezone

from . import context

_PII_PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "[id-number]"),  # CCCD / personal identification number
    (re.compile(r"(?<!\d)\d{9}(?!\d)"), "[id-number]"),  # the older 9-digit CMND
    (re.compile(r"(?<![\w.])(\+?84|0)(3|5|7|8|9)\d{8}(?!\d)"), "[phone]"),
)

_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def redact(value: str) -> str:
    for pattern, replacement in _PII_PATTERNS:
        value = pattern.sub(replacement, value)
    return value


def _clean(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str, process_kind: str):
        super().__init__()
        self.service = service
        self.process_kind = process_kind

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "process": self.process_kind,
            "logger": record.name,
            "event": redact(record.getMessage()),
        }
        correlation = context.correlation_id()
        if correlation:
            line["correlation_id"] = correlation
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                line[key] = _clean(value)
        if record.exc_info:
            # The exception type and a redacted message; a traceback can quote request data.
            exc_type, exc, _ = record.exc_info
            line["error"] = exc_type.__name__ if exc_type else None
            line["error_message"] = redact(str(exc))[:500]
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(service: str, process_kind: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service, process_kind))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # pika narrates every frame at INFO; its warnings are enough.
    logging.getLogger("pika").setLevel(logging.WARNING)
