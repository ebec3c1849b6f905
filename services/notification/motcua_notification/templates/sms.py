"""SMS text: Vietnamese folded to readable ASCII, and the segments a text costs.

Brandname SMS in Vietnam are sent without diacritics so a message fits GSM-7 (160 characters, 153
per part when concatenated) instead of UCS-2 (70, 67 per part): "Hồ sơ đã được tiếp nhận" becomes
"Ho so da duoc tiep nhan". SMS_UNICODE keeps the diacritics and pays for it in segments.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

# 3GPP TS 23.038 default alphabet and its extension table (each extension character costs two septets).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

# Letters NFD does not decompose, and typography that has a plain GSM equivalent.
_REPLACEMENTS = str.maketrans({
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " ", "•": "-",
})


def fold_to_gsm(text: str) -> str:
    """Strip every diacritic (keeping case) and replace what GSM-7 cannot carry."""
    decomposed = unicodedata.normalize("NFD", text.translate(_REPLACEMENTS))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c in GSM_BASIC or c in GSM_EXTENSION else "?" for c in stripped)


@dataclass(frozen=True)
class Encoding:
    name: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def encoding(text: str) -> Encoding:
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        septets = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        return Encoding("GSM-7", septets, 1 if septets <= 160 else math.ceil(septets / 153))
    units = len(text.encode("utf-16-le")) // 2
    return Encoding("UCS-2", units, 1 if units <= 70 else math.ceil(units / 67))
