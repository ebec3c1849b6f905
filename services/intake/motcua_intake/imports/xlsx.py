"""The first sheet of an XLSX file as rows of cell values, read straight from its XML.

openpyxl (read-only) takes about 40 s of CPU for a district's year (66,572 rows of ~50 cells); reading
the few parts an import needs (shared strings, which styles are dates, the first sheet) with the
standard library's expat parser takes half that. The values are what openpyxl gives (text, numbers,
datetimes for date-formatted cells), so reading.py treats both alike, and falls back to openpyxl for
any workbook this reader does not understand.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from datetime import datetime, timedelta
from typing import Iterator
from xml.etree.ElementTree import iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats that are dates or times (ECMA-376 §18.8.30).
DATE_FORMAT_IDS = frozenset(range(14, 23)) | {45, 46, 47}
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_CELL_COLUMN = re.compile(r"[A-Z]+")


class Unsupported(ValueError):
    """A workbook laid out in a way this reader does not handle: use openpyxl."""


def _column_index(reference: str) -> int:
    letters = _CELL_COLUMN.match(reference)
    if letters is None:
        raise Unsupported(f"cell reference {reference!r}")
    index = 0
    for letter in letters.group():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, datetime]:
    """The first sheet's part name, and the epoch of the workbook's dates (1900 or 1904 system)."""
    epoch = datetime(1899, 12, 30)
    first = None
    for _, element in iterparse(archive.open("xl/workbook.xml")):
        if element.tag == MAIN + "workbookPr" and element.get("date1904") in ("1", "true"):
            epoch = datetime(1904, 1, 1)
        elif element.tag == MAIN + "sheet" and first is None:
            first = element.get(RELATIONSHIPS + "id")
    if first is None:
        raise Unsupported("no sheet")
    for _, element in iterparse(archive.open("xl/_rels/workbook.xml.rels")):
        if element.tag == PACKAGE_RELATIONSHIPS + "Relationship" and element.get("Id") == first:
            target = element.get("Target")
            return (target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)), epoch
    raise Unsupported("sheet part not found")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    for _, element in iterparse(archive.open("xl/sharedStrings.xml")):
        if element.tag == MAIN + "si":
            # Plain text (t) or rich text runs (r/t); phonetic hints (rPh) are not part of the value.
            parts = []
            for child in element:
                if child.tag == MAIN + "t":
                    parts.append(child.text or "")
                elif child.tag == MAIN + "r":
                    parts.extend(text.text or "" for text in child.iter(MAIN + "t"))
            strings.append("".join(parts))
            element.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats (cellXfs) whose number format shows a date or a time."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    custom: dict[int, str] = {}
    dates: set[int] = set()
    for _, element in iterparse(archive.open("xl/styles.xml")):
        if element.tag == MAIN + "numFmt":
            custom[int(element.get("numFmtId"))] = element.get("formatCode") or ""
        elif element.tag == MAIN + "cellXfs":
            for index, style in enumerate(element.findall(MAIN + "xf")):
                number_format = int(style.get("numFmtId", "0"))
                code = _QUOTED.sub("", custom.get(number_format, "")).lower()
                if number_format in DATE_FORMAT_IDS or (number_format in custom and re.search(r"[dmyhs]", code)):
                    dates.add(index)
    return dates


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        return float(text)


def rows(data: bytes) -> Iterator[tuple[int, list]]:
    """(row number, cell values) of the first sheet, in order; raises Unsupported (or a zip/XML error)."""
    import io

    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet, epoch = _first_sheet(archive)
    strings = _shared_strings(archive)
    dates = _date_styles(archive)
    cell_tag, row_tag, value_tag, text_tag = MAIN + "c", MAIN + "row", MAIN + "v", MAIN + "t"
    cells: dict[int, object] = {}
    expected_row = 1
    for _, element in iterparse(archive.open(sheet)):
        tag = element.tag
        if tag == cell_tag:
            kind = element.get("t")
            value_element = element.find(value_tag)
            text = value_element.text if value_element is not None else None
            if kind == "s":
                value = strings[int(text)]
            elif kind == "inlineStr":
                value = "".join(part.text or "" for part in element.iter(text_tag))
            elif text is None:
                value = None
            elif kind in ("str", "e"):
                value = text
            elif kind == "b":
                value = text == "1"
            elif int(element.get("s", "0")) in dates:
                value = epoch + timedelta(seconds=round(float(text) * 86400))
            else:
                value = _number(text)
            reference = element.get("r")
            cells[_column_index(reference) if reference else len(cells)] = value
            element.clear()
        elif tag == row_tag:
            number = int(element.get("r", expected_row))
            width = max(cells) + 1 if cells else 0
            yield number, [cells.get(index) for index in range(width)]
            cells = {}
            expected_row = number + 1
            element.clear()
