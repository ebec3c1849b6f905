"""The request bodies' text rule (motcua_shared.web.fields.Text) takes a shortcut for printable text;
the shortcut must refuse exactly what the rule refuses, for every character there is."""
from __future__ import annotations

import sys
import unicodedata

from motcua_shared.web.fields import has_hidden_characters

REFUSED = {"Cc", "Cf"}
KEPT = set("\t\n\r")


def test_the_printable_shortcut_refuses_exactly_the_control_and_format_characters():
    disagree = []
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        refused = unicodedata.category(char) in REFUSED and char not in KEPT
        # Alone and inside a name: the shortcut is decided on the whole text.
        if has_hidden_characters(char) != refused or has_hidden_characters(f"Lò{char}Văn") != refused:
            disagree.append(f"U+{point:04X}")
    assert not disagree, disagree[:20]


def test_printable_vietnamese_text_has_none():
    assert not has_hidden_characters("Lò Văn Hùng, bản Hưng Mai, xã Chiềng Khương")
    assert has_hidden_characters("Lò\u200bVăn") and has_hidden_characters("\u202eHùng")
    assert not has_hidden_characters("dòng một\ndòng hai\tcột")
