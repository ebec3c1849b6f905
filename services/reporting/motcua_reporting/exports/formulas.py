"""Text a spreadsheet must not run: a name typed as `=HYPERLINK(...)` at the desk is still a name.

A spreadsheet reads a CSV field beginning with = + - @ (or a tab or carriage return before one) as a
formula, which can fetch a URL or run a command when the officer opens the file (OWASP, "CSV
injection"). Such a field gets a leading apostrophe, which Excel and LibreOffice show as text. In the
XLSX file the cell is written as a string cell, which no spreadsheet evaluates: the text stays exact.
"""
from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """`value` as a CSV field a spreadsheet shows as written."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def strings_only(sheet: Worksheet) -> None:
    """Every cell openpyxl took for a formula (text beginning with "=") written as the text it is: the
    exports hold figures and names, never a formula of their own."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
