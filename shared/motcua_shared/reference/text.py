"""Accent folding for Vietnamese search.

Citizens and officers type without diacritics ("dang ky ket hon"), with them, or with a
keyboard that produces decomposed (NFD) text; search must treat all of these alike. Every
service that searches names (procedures, applicants, units) folds both sides with `fold`.
"""

from __future__ import annotations

import re
import unicodedata

# Đ/đ are letters of their own, not D plus a mark, so NFD leaves them alone. U+00D0 (Ð, the
# Icelandic eth) is a common look-alike typed in place of Đ.
_UNDECOMPOSABLE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case `text`, strip every diacritic (đ → d included) and collapse whitespace.

    "Thủ tục đăng ký KẾT HÔN" and "thu tuc dang ky ket hon" fold to the same string, whether the
    input was NFC or NFD. The result is meant for comparison only, never for display.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_UNDECOMPOSABLE))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", stripped.casefold()).strip()
