"""marshmallow fields for text people type: NFC-normalised, trimmed, free of control and invisible characters."""
from __future__ import annotations

import unicodedata

from marshmallow import RAISE, Schema, ValidationError, fields

# Refused: the control characters (Unicode category Cc: C0 but tab and newlines, DEL, C1, where
# U+009B opens terminal escapes) and the format characters (Cf), which print as nothing: the
# bidirectional marks, embeddings, overrides and isolates reorder how a name or address reads
# (U+202E), and the zero-width space and joiners, soft hyphen and BOM make "Lò\u200bVăn" print as
# "LòVăn" yet be another name to search, deduplicate and match against the national database.
_KEPT_CONTROLS = frozenset("\t\n\r")
_REFUSED_CATEGORIES = frozenset(("Cc", "Cf"))


def has_hidden_characters(text: str) -> bool:
    # str.isprintable() is False for every character of categories Cc and Cf (they are "Other"), so a
    # printable text, nearly every name and address, has none: one C loop instead of a category lookup
    # per character (a reception's body has a few hundred of them). The rest is checked one by one.
    if text.isprintable():
        return False
    return any(unicodedata.category(c) in _REFUSED_CATEGORIES for c in text if c not in _KEPT_CONTROLS)


class Text(fields.String):
    """Vietnamese arrives composed or decomposed depending on the keyboard; store one form (NFC)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if has_hidden_characters(text):
            raise ValidationError("Không được chứa ký tự điều khiển hoặc ký tự ẩn.")
        return unicodedata.normalize("NFC", text.strip())


class StrictSchema(Schema):
    """Unknown fields are rejected, never silently dropped (docs/contracts.md §5)."""

    class Meta:
        unknown = RAISE
