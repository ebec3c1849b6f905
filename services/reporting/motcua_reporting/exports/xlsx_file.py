"""Report tables as XLSX workbooks, laid out like the printed Biểu 06/VPCP/KSTT.

    unit name                                                      Biểu số 06/VPCP/KSTT
                                                 Ban hành kèm theo Thông tư số 01/2020/TT-VPCP
                 TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH ...
                       Kỳ báo cáo: từ ngày ... đến ngày ...
                                                              Đơn vị tính: Số hồ sơ TTHC
    STT | Lĩnh vực, đơn vị | Số hồ sơ nhận giải quyết   | Số hồ sơ đã giải quyết | Số hồ sơ đang giải quyết
        |                  | Tổng | Trong kỳ     | Từ kỳ | Tổng | Trước | Đúng | Quá | Tổng | Trong | Quá
        |                  |      | TT  | TT,BC  | trước |      | hạn   | hạn  | hạn |      | hạn   | hạn
    (1) | (2)              | (3)  | (4) | (5)    | (6)   | (7)  | (8)   | (9)  | (10)| (11) | (12)  | (13)
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .formulas import strings_only
from .tables import PlainTable, TallyTable

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
BOLD = Font(bold=True)

# (first row, first column, last row, last column, text) of the three header rows, columns 1–13.
TALLY_HEADER = (
    (0, 1, 2, 1, "STT"),
    (0, 3, 0, 6, "Số hồ sơ nhận giải quyết"),
    (1, 3, 2, 3, "Tổng số"),
    (1, 4, 1, 5, "Trong kỳ"),
    (2, 4, 2, 4, "Trực tuyến"),
    (2, 5, 2, 5, "Trực tiếp, dịch vụ bưu chính"),
    (1, 6, 2, 6, "Từ kỳ trước"),
    (0, 7, 0, 10, "Kết quả giải quyết: Số hồ sơ đã giải quyết"),
    (1, 7, 2, 7, "Tổng số"),
    (1, 8, 2, 8, "Trước hạn"),
    (1, 9, 2, 9, "Đúng hạn"),
    (1, 10, 2, 10, "Quá hạn"),
    (0, 11, 0, 13, "Số hồ sơ đang giải quyết"),
    (1, 11, 2, 11, "Tổng số"),
    (1, 12, 2, 12, "Trong hạn"),
    (1, 13, 2, 13, "Quá hạn"),
)
TITLE_ROWS = 6  # the rows above the column headers


def render(table: TallyTable | PlainTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if isinstance(table, TallyTable):
        sheet.title = "Biểu 06"
        _tally(sheet, table)
    else:
        sheet.title = "Số liệu"
        _plain(sheet, table)
    strings_only(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _titles(sheet: Worksheet, table: TallyTable | PlainTable, width: int) -> None:
    last = get_column_letter(width)
    sheet["A1"] = table.unit_name
    sheet["A1"].font = BOLD
    if isinstance(table, TallyTable):
        sheet.cell(row=1, column=width - 2, value="Biểu số 06/VPCP/KSTT").font = BOLD
        sheet.cell(row=2, column=width - 2, value="Ban hành kèm theo Thông tư số 01/2020/TT-VPCP").font = \
            Font(italic=True)
    sheet.merge_cells(f"A4:{last}4")
    sheet["A4"] = table.title.upper()
    sheet["A4"].font = Font(bold=True, size=13)
    sheet["A4"].alignment = CENTRE
    sheet.row_dimensions[4].height = 36
    sheet.merge_cells(f"A5:{last}5")
    start, end = table.period_label.split(" – ")
    sheet["A5"] = f"Kỳ báo cáo: từ ngày {start} đến ngày {end}"
    sheet["A5"].alignment = CENTRE
    if isinstance(table, TallyTable):
        sheet.cell(row=6, column=width - 2, value="Đơn vị tính: Số hồ sơ TTHC").font = Font(italic=True)
        if table.attribution:
            sheet["A6"] = f"Số liệu {table.attribution[0].lower()}{table.attribution[1:]}"
            sheet["A6"].font = Font(italic=True)


def _tally(sheet: Worksheet, table: TallyTable) -> None:
    _titles(sheet, table, 13)
    top = TITLE_ROWS + 1
    for first_row, first_col, last_row, last_col, text in (*TALLY_HEADER, (0, 2, 2, 2, table.label_title)):
        cell = sheet.cell(row=top + first_row, column=first_col, value=text)
        if (first_row, first_col) != (last_row, last_col):
            sheet.merge_cells(start_row=top + first_row, start_column=first_col, end_row=top + last_row,
                              end_column=last_col)
        cell.font, cell.alignment = BOLD, CENTRE
    numbers = top + 3
    for column in range(1, 14):
        sheet.cell(row=numbers, column=column, value=f"({column})").alignment = CENTRE
    for offset, row in enumerate(table.rows, start=1):
        values = [row.number, row.label, *row.tally.columns()]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=numbers + offset, column=column, value=value)
            cell.alignment = LEFT if column == 2 else CENTRE
            if row.emphasis:
                cell.font = BOLD
    _box(sheet, top, numbers + len(table.rows), 13)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 42
    for column in range(3, 14):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.freeze_panes = sheet.cell(row=numbers + 1, column=3)


def _plain(sheet: Worksheet, table: PlainTable) -> None:
    width = len(table.headers)
    _titles(sheet, table, max(width, 3))
    top = TITLE_ROWS + 1
    for column, header in enumerate(table.headers, start=1):
        cell = sheet.cell(row=top, column=column, value=header)
        cell.font, cell.alignment = BOLD, CENTRE
        sheet.column_dimensions[get_column_letter(column)].width = max(12, min(len(header) + 4, 40))
    for offset, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=top + offset, column=column, value=value).alignment = LEFT
    _box(sheet, top, top + len(table.rows), width)
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)


def _box(sheet: Worksheet, first_row: int, last_row: int, width: int) -> None:
    for row in sheet.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=width):
        for cell in row:
            cell.border = BOX
