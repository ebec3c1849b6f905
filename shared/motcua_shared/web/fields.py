"""marshmallow fields for text people type: NFC-normalised, trimmed, free of control characters."""
from __future__ import annotations

import re
import unicodedata

from marshmallow import RAISE, Schema, ValidationError, fields

# C0 controls but tab and newlines, DEL, the C1 controls (U+0085, U+009B opens terminal escapes),
# and the bidirectional embeddings, overrides and isolates, which reorder how a printed name or
# address reads (U+202A-U+202E, U+2066-U+2069) without being visible themselves.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Text(fields.String):
    """Vietnamese arrives composed or decomposed depending on the keyboard; store one form (NFC)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(text):
            raise ValidationError("Không được chứa ký tự điều khiển.")
        return unicodedata.normalize("NFC", text.strip())


class StrictSchema(Schema):
    """Unknown fields are rejected, never silently dropped (contracts.md §5)."""

    class Meta:
        unknown = RAISE
