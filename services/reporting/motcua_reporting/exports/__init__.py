"""Every report table as a file: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
Vietnamese correctly) and XLSX (laid out like the printed Biểu 06/VPCP/KSTT)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response

from . import csv_file, xlsx_file
from .tables import PlainTable, TallyTable

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def send(table: TallyTable | PlainTable, file_format: str, name: str) -> Response:
    """`name` is the file name without extension (ASCII: unit code and dates)."""
    body = csv_file.render(table) if file_format == "csv" else xlsx_file.render(table)
    filename = f"{name}.{file_format}"
    response = Response(body, mimetype=MEDIA_TYPES[file_format].split(";")[0])
    response.headers["Content-Type"] = MEDIA_TYPES[file_format]
    response.headers["Content-Disposition"] = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    return response
