"""Administrative units as officers see them: names for codes, the choices an administrator picks from."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from motcua_shared.reference import Level, UnknownUnit, load_units
from motcua_shared.reference.current import current
from motcua_shared.workcal import vietnam_today


def known_unit(code: str) -> bool:
    try:
        return bool(load_units().versions(code))
    except UnknownUnit:
        return False


def is_province(code: str | None) -> bool:
    """Whether `code` is a province: its officers work for every desk of it (they pick one for a logbook)."""
    try:
        return bool(code) and load_units().versions(code)[-1].level is Level.PROVINCE
    except UnknownUnit:
        return False


def unit_name(code: str | None) -> str:
    """The latest name of a unit (a merged commune keeps its last name), or the code itself."""
    return _unit_name(current().version, code)


@lru_cache(maxsize=4096)
def _unit_name(version: str, code: str | None) -> str:
    """Cached by reference set: a set imported at intake renames units without a restart (reference.py)."""
    if not code:
        return "Toàn tỉnh"
    versions = load_units().versions(code)
    return versions[-1].name if versions else code


def unit_choices(on: date | None = None) -> list[tuple[str, str]]:
    """(code, label) of every unit known: those in force on `on` (today by default) first, then units of
    the earlier hierarchy (whose dossiers still have to be handled and reported), marked as such."""
    directory = load_units()
    current = {unit.code for unit in directory.units_on(on or vietnam_today())}
    codes = sorted({unit.code for unit in directory.all()}, key=lambda c: (c not in current, len(c), c))
    return [(code, unit_name(code) if code in current else f"{unit_name(code)} (trước 01/07/2025)") for code in codes]
