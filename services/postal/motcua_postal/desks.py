"""The one-stop desk (bộ phận một cửa) as a party of a shipment: who the partner meets there, and where.

Its name comes from the receiving unit ("Bộ phận một cửa UBND xã Chiềng Khương"); its address and
phone from POSTAL_DESKS, or, for a unit not configured, the seat of its People's Committee spelt out
down from the province, which is what a postman needs to find it.
"""
from __future__ import annotations

from datetime import date

from motcua_shared.reference import Unit, UnknownUnit

from . import reference


def _unit_on(code: str, day: date) -> Unit | None:
    # A shipment may outlive its unit's version (the 2025 reform): fall back to the latest version.
    directory = reference.units()
    unit = directory.find(code, day)
    if unit is None:
        try:
            unit = directory.versions(code)[-1]
        except UnknownUnit:
            return None
    return unit


def _committee_of(unit: Unit) -> str:
    """"Xã Chiềng Khương" → "xã Chiềng Khương": the kind is written in lower case after "UBND"."""
    name = unit.name
    if name.lower().startswith(unit.kind):
        name = unit.kind + name[len(unit.kind):]
    return name


def _lineage(unit: Unit, day: date) -> list[Unit]:
    chain = [unit]
    while chain[-1].parent is not None:
        parent = _unit_on(chain[-1].parent, day)
        if parent is None:
            break
        chain.append(parent)
    return chain


def desk_party(code: str, day: date, desks: dict) -> dict:
    """{name, address, phone} of the receiving desk of unit `code` on `day` (the local date)."""
    configured = desks.get(code) or {}
    unit = _unit_on(code, day)
    if unit is None:
        name = f"Bộ phận một cửa (đơn vị {code})"
        address = configured.get("address") or name
    else:
        name = f"Bộ phận một cửa UBND {_committee_of(unit)}"
        address = configured.get("address") or "Trụ sở UBND " + ", ".join(_committee_of(u) for u in _lineage(unit, day))
    return {"name": name, "address": address, "phone": configured.get("phone")}
