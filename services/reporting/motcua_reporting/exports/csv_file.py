"""Report tables as CSV: one header row, then the rows, exactly the cells of the XLSX table."""
from __future__ import annotations

import csv
import io

from ..statistics.tally import COLUMN_TITLES, FIGURES
from .formulas import csv_text
from .tables import PlainTable, TallyTable


def tally_headers(table: TallyTable) -> list[str]:
    """Headers numbered like the form's columns (1)–(13)."""
    return ["(1) STT", f"(2) {table.label_title}",
            *(f"({number}) {COLUMN_TITLES[figure]}" for number, figure in enumerate(FIGURES, start=3))]


def render(table: TallyTable | PlainTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if isinstance(table, TallyTable):
        writer.writerow(tally_headers(table))
        writer.writerows([csv_text(row.number), csv_text(row.label), *row.tally.columns()] for row in table.rows)
    else:
        writer.writerow([csv_text(header) for header in table.headers])
        writer.writerows([csv_text(_cell(cell)) for cell in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(cell):
    """As the XLSX file shows it: a whole rate (0.0, 50.0) is a whole number there, so it is here too."""
    if cell is None:
        return ""
    return int(cell) if isinstance(cell, float) and cell.is_integer() else cell
