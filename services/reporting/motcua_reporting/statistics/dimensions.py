"""What a report can be broken down by, and the Vietnamese label of each value."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from motcua_shared.reference import UnknownProcedure, fold, load_catalogue

from .scope import unit_name

UNKNOWN = "Không xác định"

LEVEL_TITLES = {
    "province": "Cấp tỉnh (Sở, ban, ngành)",
    "district": "Cấp huyện (Huyện, thị xã, thành phố)",
    "commune": "Cấp xã (Xã, phường, thị trấn)",
}
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}

CHANNEL_TITLES = {"online": "Trực tuyến", "counter": "Trực tiếp", "postal": "Dịch vụ bưu chính công ích"}
CHANNEL_ORDER = {"online": 0, "counter": 1, "postal": 2}

MECHANISM_TITLES = {"one_stop": "Một cửa", "inter_agency": "Một cửa liên thông"}


def mechanism(row) -> str:
    return "inter_agency" if row.inter_agency else "one_stop"


def procedure_name(code: str | None) -> str:
    if code is None:
        return UNKNOWN
    try:
        return load_catalogue().get(code).name
    except UnknownProcedure:
        return code


@dataclass(frozen=True)
class Dimension:
    name: str
    title: str  # the column heading of the breakdown table
    key: Callable[[Any], str | None]
    label: Callable[[str | None, date], str]
    order: Callable[[str | None], Any]


DIMENSIONS = {
    "unit": Dimension("unit", "Đơn vị tiếp nhận", lambda row: row.receiving_unit, unit_name,
                      lambda key: key or "~"),
    "competent_unit": Dimension("competent_unit", "Cơ quan giải quyết", lambda row: row.competent_unit, unit_name,
                                lambda key: key or "~"),
    "level": Dimension("level", "Cấp giải quyết", lambda row: row.procedure_level,
                       lambda key, _on: LEVEL_TITLES.get(key, UNKNOWN), lambda key: LEVEL_ORDER.get(key, 9)),
    "procedure": Dimension("procedure", "Thủ tục hành chính", lambda row: row.procedure_code,
                           lambda key, _on: procedure_name(key), lambda key: key or "~"),
    "sector": Dimension("sector", "Lĩnh vực", lambda row: row.sector, lambda key, _on: key or UNKNOWN,
                        lambda key: fold(key) if key else "~"),
    "channel": Dimension("channel", "Kênh tiếp nhận", lambda row: row.channel,
                         lambda key, _on: CHANNEL_TITLES.get(key, UNKNOWN), lambda key: CHANNEL_ORDER.get(key, 9)),
    "mechanism": Dimension("mechanism", "Cơ chế", mechanism, lambda key, _on: MECHANISM_TITLES[key],
                           lambda key: key != "one_stop"),
}
