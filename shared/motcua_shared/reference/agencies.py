"""The specialised agencies (cơ quan chuyên môn) that handle the catalogue's procedures, per unit.

Procedures name *roles* per level (``district:justice``) rather than agencies, because the
agency holding a role changes while the procedure does not: Phòng Tư pháp of Sông Mã district
handled foreign-element marriages until 30/06/2025, the commune People's Committee from
01/07/2025; driving licences moved from Sở Giao thông vận tải to the provincial police in 2025.
``agencies.csv`` says which agency of which unit held which roles, and when.

A row is a *version* of an agency, keyed by (id, valid_from). `valid_from` is the first day the
catalogue vouches for that name and those roles, not the day the office was founded: district
and provincial offices are listed from 21/06/2018 (Decree 61/2018 in force, the start of the
one-stop regime the system models); a commune's own People's Committee and police follow the
commune's validity. Ids are the unit path plus an office suffix (``14.126.PTP``,
``14.04222.UBND``), stable across versions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .datafiles import ReferenceDataError, overlaps, parse_day, parse_optional_day
from .hierarchy import as_day

AGENCY_COLUMNS = ("id", "unit_code", "name", "valid_from", "valid_to", "roles", "sectors", "note")

ROLES: dict[str, str] = {
    "justice": "Tư pháp: hộ tịch, chứng thực, nuôi con nuôi",
    "criminal_records": "Lý lịch tư pháp",
    "social_affairs": "Bảo trợ xã hội, giảm nghèo",
    "residence": "Đăng ký, quản lý cư trú",
    "social_insurance": "Bảo hiểm xã hội, bảo hiểm y tế",
    "business_registration": "Đăng ký kinh doanh",
    "trade": "Lưu thông hàng hóa trong nước",
    "construction": "Hoạt động xây dựng",
    "education": "Giáo dục",
    "driving_licence": "Giấy phép lái xe",
    "land": "Đất đai",
    "merit": "Người có công",
}
"""Role keys used by ``handlers`` in procedures.csv, with what each covers."""


@dataclass(frozen=True, slots=True)
class Agency:
    """One version of an agency: its name and roles between two days (valid_to inclusive)."""

    id: str
    unit_code: str
    name: str
    valid_from: date
    valid_to: date | None
    roles: frozenset[str]
    sectors: tuple[str, ...]
    note: str = ""

    def valid_on(self, on: date) -> bool:
        """Whether this version is the one in force on day `on`."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class UnknownAgency(LookupError):
    """No agency matches the id, or the unit and role, on the day asked about."""


class AgencyDirectory:
    """All agency versions, validated once; lookups by id, unit and role on a day."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        by_id: dict[str, list[Agency]] = defaultdict(list)
        by_unit: dict[str, list[Agency]] = defaultdict(list)
        for agency in agencies:
            by_id[agency.id].append(agency)
            by_unit[agency.unit_code].append(agency)
        self._by_id = {
            key: tuple(sorted(versions, key=lambda agency: agency.valid_from))
            for key, versions in by_id.items()
        }
        self._by_unit = {key: tuple(versions) for key, versions in by_unit.items()}
        self._validate()

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]]) -> AgencyDirectory:
        """Build a directory from rows shaped like ``agencies.csv``."""
        agencies = []
        for index, row in enumerate(rows, start=2):
            where = f"agencies.csv:{index}"
            agencies.append(
                Agency(
                    id=row["id"],
                    unit_code=row["unit_code"],
                    name=row["name"],
                    valid_from=parse_day(row["valid_from"], where=where),
                    valid_to=parse_optional_day(row["valid_to"], where=where),
                    roles=frozenset(row["roles"].split()),
                    sectors=tuple(
                        part.strip() for part in row["sectors"].split(";") if part.strip()
                    ),
                    note=row["note"],
                )
            )
        return cls(agencies)

    def all(self) -> tuple[Agency, ...]:
        """Every version, by id then start day."""
        return tuple(version for key in sorted(self._by_id) for version in self._by_id[key])

    def get(self, agency_id: str, on: date) -> Agency:
        """The version of `agency_id` in force on `on`."""
        on = as_day(on)
        for agency in self._by_id.get(agency_id, ()):
            if agency.valid_on(on):
                return agency
        raise UnknownAgency(f"no agency {agency_id!r} on {on.isoformat()}")

    def at_unit(self, unit_code: str, on: date) -> tuple[Agency, ...]:
        """Agencies of one unit in force on `on`, by id."""
        on = as_day(on)
        return tuple(
            sorted(
                (agency for agency in self._by_unit.get(unit_code, ()) if agency.valid_on(on)),
                key=lambda agency: agency.id,
            )
        )

    def for_role(self, role: str, unit_code: str, on: date) -> Agency:
        """The agency of unit `unit_code` that holds `role` on `on`."""
        if role not in ROLES:
            raise UnknownAgency(f"unknown role {role!r}")
        for agency in self.at_unit(unit_code, on):
            if role in agency.roles:
                return agency
        raise UnknownAgency(f"no agency of unit {unit_code} holds {role!r} on {on.isoformat()}")

    def _validate(self) -> None:
        for agency_id, versions in self._by_id.items():
            for agency in versions:
                label = f"agency {agency_id} (from {agency.valid_from})"
                if not agency.name or not agency.roles:
                    raise ReferenceDataError(f"{label}: needs a name and at least one role")
                if unknown := agency.roles - ROLES.keys():
                    raise ReferenceDataError(f"{label}: unknown roles {sorted(unknown)}")
                if agency.valid_to is not None and agency.valid_to < agency.valid_from:
                    raise ReferenceDataError(f"{label}: ends before it starts")
                if {version.unit_code for version in versions} != {agency.unit_code}:
                    raise ReferenceDataError(f"{label}: versions belong to different units")
            for earlier, later in zip(versions, versions[1:]):
                if overlaps(earlier.valid_from, earlier.valid_to, later.valid_from, later.valid_to):
                    raise ReferenceDataError(f"agency {agency_id}: overlapping versions")
        for unit_code, agencies in self._by_unit.items():
            for index, first in enumerate(agencies):
                for second in agencies[index + 1 :]:
                    shared = first.roles & second.roles
                    if shared and overlaps(
                        first.valid_from, first.valid_to, second.valid_from, second.valid_to
                    ):
                        raise ReferenceDataError(
                            f"unit {unit_code}: {first.id} and {second.id} both hold "
                            f"{sorted(shared)} on some day"
                        )


def load_agencies() -> AgencyDirectory:
    """The agencies of the reference set in use (the shipped files unless a directory or an import replaced them).

    Call it for each piece of work rather than keeping the result: a newer set an administrator
    imports replaces it while the process runs (motcua_shared.reference.current).
    """
    from .current import current

    return current().agencies
