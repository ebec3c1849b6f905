"""The tables a report exports, independent of the file format.

A `TallyTable` has the thirteen columns of Biểu 06/VPCP/KSTT (the summary, every breakdown and the
monthly trend); a `PlainTable` is anything else (the indicators, the dossiers behind a figure).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..statistics.attribution import COMPETENT, TITLES
from ..statistics.dimensions import LEVEL_ORDER, MECHANISM_TITLES, UNKNOWN
from ..statistics.report import MECHANISMS, Report
from ..statistics.tally import Tally

FORM_TITLE = ("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ "
              "TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
# Biểu 06 groups its rows by the level of the agency that handles the procedure.
LEVEL_GROUPS = (("I", "province", "Sở, ban, ngành"), ("II", "district", "Huyện, thị xã, thành phố"),
                ("III", "commune", "Xã, phường, thị trấn"))


@dataclass(frozen=True)
class TallyRow:
    number: str  # column 1, STT: "", a roman group number or an item number
    label: str  # column 2
    tally: Tally
    emphasis: bool = False  # totals and group rows are bold


@dataclass
class TallyTable:
    title: str
    unit_name: str
    period_label: str
    label_title: str
    rows: list[TallyRow] = field(default_factory=list)
    attribution: str = ""  # "Theo cơ quan giải quyết" when not by the receiving unit (the default)


@dataclass
class PlainTable:
    title: str
    unit_name: str
    period_label: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def bieu06(report: Report) -> TallyTable:
    """The summary as the form lays it out: the total, the two mechanisms, then the level groups
    (provincial departments and districts by sector, communes by receiving unit)."""
    placed = report.placed()
    table = _tally_table(report, FORM_TITLE, "Lĩnh vực, đơn vị")
    by_mechanism, total = report.breakdown("mechanism", placed)
    table.rows.append(TallyRow("", "Tổng cộng", total, emphasis=True))
    mechanisms = {row.key: row.tally for row in by_mechanism}
    table.rows.extend(TallyRow("", f"Trong đó: {MECHANISM_TITLES[name]}", mechanisms.get(name, Tally()))
                      for name in MECHANISMS)
    levels = {_level(row) for row, _placement in placed}
    for number, level, title in LEVEL_GROUPS + ((("IV", None, UNKNOWN),) if None in levels else ()):
        members = [(row, placement) for row, placement in placed if _level(row) == level]
        items, subtotal = report.breakdown(_unit_dimension(report) if level == "commune" else "sector", members)
        table.rows.append(TallyRow(number, title, subtotal, emphasis=True))
        table.rows.extend(TallyRow(str(index), item.label, item.tally) for index, item in enumerate(items, start=1))
    return table


def _unit_dimension(report: Report) -> str:
    """The commune rows name the unit each dossier is counted under: its desk, or its resolving agency."""
    return "competent_unit" if report.attribution == COMPETENT else "unit"


def _level(row) -> str | None:
    return row.procedure_level if row.procedure_level in LEVEL_ORDER else None


def breakdown(report: Report, by: str, title: str, label_title: str) -> TallyTable:
    rows, total = report.breakdown(by)
    table = _tally_table(report, title, label_title)
    table.rows.append(TallyRow("", "Tổng cộng", total, emphasis=True))
    table.rows.extend(TallyRow(str(index), row.label, row.tally) for index, row in enumerate(rows, start=1))
    return table


def trend(report: Report) -> TallyTable:
    table = _tally_table(report, "Số liệu giải quyết thủ tục hành chính theo tháng", "Tháng")
    table.rows.extend(TallyRow(str(index), f"Tháng {month.first_day:%m/%Y}", tally)
                      for index, (month, tally) in enumerate(report.trend(), start=1))
    return table


def _tally_table(report: Report, title: str, label_title: str) -> TallyTable:
    return TallyTable(title=title, unit_name=report.scope.name, period_label=report.period.label(),
                      label_title=label_title,
                      attribution=TITLES[COMPETENT] if report.attribution == COMPETENT else "")
