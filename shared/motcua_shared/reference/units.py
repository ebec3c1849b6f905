"""Administrative units as versioned data, and lookups over them by day.

A unit code is stable while the unit exists (Decision 124/2004/QĐ-TTg), but what the code names
can change: 04168 was "Thị trấn Sông Mã" under district 126 until 30/06/2025 and is "Xã Sông Mã"
directly under province 14 from 01/07/2025. So a row of ``units.csv`` is a *version* of a unit,
keyed by (code, valid_from), and every lookup takes the day it is about.

What the shipped file holds (docs/contracts.md §3, docs/domain.md §7.2):

- province 14 Sơn La, one version across both hierarchies;
- the 12 district-level units of Sơn La until 30/06/2025, with the renames that happened inside
  that period (Thị xã → Thành phố Sơn La in 2008, Huyện → Thị xã Mộc Châu in 2025) and Vân Hồ
  from its creation in 2013;
- the 19 communes of Sông Mã district until 30/06/2025 and the 9 communes they merged into
  from 01/07/2025, with the merge recorded as successors on the closed versions.

Only Sông Mã's communes are held: the other districts have no communes here, and from
01/07/2025 province 14 has 9 of its 75 communes. The three-level versions start on 08/07/2004,
the date of Decision 124/2004 that issued the codes: it is the earliest day the codes themselves
are vouched for, and it covers the 2019 Sông Mã figures. Changes to Sông Mã's communes before
2019 are not modelled (their codes 04168–04222 are consecutive, which suggests none since 2004).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .datafiles import ReferenceDataError, overlaps, parse_day, parse_optional_day
from .hierarchy import LEVEL_DEPTH, TWO_LEVEL_FROM, Hierarchy, Level, as_day, hierarchy_for

UNIT_COLUMNS = (
    "code",
    "name",
    "level",
    "kind",
    "parent",
    "valid_from",
    "valid_to",
    "successors",
    "source",
)

CODE_PATTERNS: dict[Level, re.Pattern[str]] = {
    Level.PROVINCE: re.compile(r"\d{2}"),
    Level.DISTRICT: re.compile(r"\d{3}"),
    Level.COMMUNE: re.compile(r"\d{5}"),
}
"""Code widths of Decision 124/2004, kept by Decision 19/2025 for provinces and communes."""

KINDS: dict[Level, frozenset[str]] = {
    Level.PROVINCE: frozenset({"tỉnh", "thành phố"}),
    Level.DISTRICT: frozenset({"huyện", "thị xã", "thành phố", "quận"}),
    Level.COMMUNE: frozenset({"xã", "phường", "thị trấn", "đặc khu"}),
}
"""The unit types (loại đơn vị hành chính) a level may hold."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One version of an administrative unit: what a code named between two days.

    `valid_to` is the last day of validity (inclusive); None means still in force.
    `successors` are the codes this version's territory passed to when it closed; it is empty
    for an open version and for a unit abolished without a successor (the districts in 2025).
    """

    code: str
    name: str
    level: Level
    kind: str
    parent: str | None
    valid_from: date
    valid_to: date | None
    successors: tuple[str, ...] = ()

    def valid_on(self, on: date) -> bool:
        """Whether this version is the one in force on day `on`."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class UnknownUnit(LookupError):
    """No version of the code is in force on the day asked about (or the code was never held)."""

    def __init__(self, code: str, on: date | None = None, reason: str = "") -> None:
        self.code = code
        self.on = on
        when = f" on {on.isoformat()}" if on is not None else ""
        detail = f": {reason}" if reason else ""
        super().__init__(f"no administrative unit {code!r}{when}{detail}")


class AmbiguousSuccession(LookupError):
    """A closed unit was split, so "its" current unit is not one unit."""

    def __init__(self, code: str, on: date, candidates: tuple[str, ...]) -> None:
        self.code = code
        self.on = on
        self.candidates = candidates
        super().__init__(
            f"unit {code!r} passed to several units in force on {on.isoformat()}: "
            + ", ".join(candidates)
        )


class UnitDirectory:
    """All unit versions, validated once and indexed for lookups by code and day.

    Instances are immutable after construction; share the one from `load_units()`.
    """

    def __init__(self, units: Iterable[Unit]) -> None:
        by_code: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            by_code[unit.code].append(unit)
        self._versions: dict[str, tuple[Unit, ...]] = {
            code: tuple(sorted(versions, key=lambda unit: unit.valid_from))
            for code, versions in by_code.items()
        }
        children: dict[str, list[Unit]] = defaultdict(list)
        predecessors: dict[str, set[str]] = defaultdict(set)
        for unit in self._all_versions():
            if unit.parent is not None:
                children[unit.parent].append(unit)
            for successor in unit.successors:
                predecessors[successor].add(unit.code)
        self._children = {
            code: tuple(sorted(units, key=lambda unit: unit.code))
            for code, units in children.items()
        }
        self._predecessors = {code: tuple(sorted(codes)) for code, codes in predecessors.items()}
        self._validate()

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]]) -> UnitDirectory:
        """Build a directory from rows shaped like ``units.csv``."""
        units = []
        for index, row in enumerate(rows, start=2):
            where = f"units.csv:{index}"
            try:
                level = Level(row["level"])
            except ValueError:
                raise ReferenceDataError(f"{where}: unknown level {row['level']!r}") from None
            units.append(
                Unit(
                    code=row["code"],
                    name=row["name"],
                    level=level,
                    kind=row["kind"],
                    parent=row["parent"] or None,
                    valid_from=parse_day(row["valid_from"], where=where),
                    valid_to=parse_optional_day(row["valid_to"], where=where),
                    successors=tuple(row["successors"].split()),
                )
            )
        return cls(units)

    # -- lookups ------------------------------------------------------------------------------

    def all(self) -> tuple[Unit, ...]:
        """Every version, ordered by code then start day (for seeding a service's tables)."""
        return tuple(self._all_versions())

    def versions(self, code: str) -> tuple[Unit, ...]:
        """Every version of a code, oldest first."""
        try:
            return self._versions[code]
        except KeyError:
            raise UnknownUnit(code) from None

    def find(self, code: str, on: date) -> Unit | None:
        """The version of `code` in force on `on`, or None."""
        on = as_day(on)
        for unit in self._versions.get(code, ()):
            if unit.valid_on(on):
                return unit
        return None

    def get(self, code: str, on: date) -> Unit:
        """The version of `code` in force on `on`; raises `UnknownUnit` when there is none."""
        unit = self.find(code, on)
        if unit is None:
            reason = "the code is not in the reference data" if code not in self._versions else ""
            raise UnknownUnit(code, on, reason)
        return unit

    def level_of(self, code: str, on: date) -> Level:
        """Level of the unit `code` on day `on`."""
        return self.get(code, on).level

    def parent(self, code: str, on: date) -> Unit | None:
        """The unit directly above `code` on `on` (None for a province)."""
        unit = self.get(code, on)
        return None if unit.parent is None else self.get(unit.parent, on)

    def lineage(self, code: str, on: date) -> tuple[Unit, ...]:
        """The unit and everything above it on `on`, province first."""
        chain = [self.get(code, on)]
        while chain[-1].parent is not None:
            chain.append(self.get(chain[-1].parent, on))
        return tuple(reversed(chain))

    def path(self, code: str, on: date) -> str:
        """Codes from the province down, joined by dots (docs/contracts.md §3).

        "14.126.04222" while districts exist, "14.04222" from 01/07/2025. Routing keys of the
        province plug-in (``step.<path>``) are built from this.
        """
        return ".".join(unit.code for unit in self.lineage(code, on))

    def children(self, code: str, on: date) -> tuple[Unit, ...]:
        """Units directly below `code` on `on`, by code."""
        on = as_day(on)
        self.get(code, on)
        return tuple(unit for unit in self._children.get(code, ()) if unit.valid_on(on))

    def descendants(self, code: str, on: date) -> tuple[Unit, ...]:
        """All units below `code` on `on` (not the unit itself), each parent before its children."""
        found: list[Unit] = []
        pending = list(reversed(self.children(code, on)))
        while pending:
            unit = pending.pop()
            found.append(unit)
            pending.extend(reversed(self.children(unit.code, on)))
        return tuple(found)

    def is_within(self, ancestor_code: str, code: str, on: date) -> bool:
        """Whether `code` is `ancestor_code` or lies below it in the hierarchy in force on `on`.

        A unit is within itself. When either code names no unit on that day the answer is
        False rather than an error: the main caller is the officer scope check (docs/contracts.md §2),
        which must fail closed, and "district 126 in 2026" contains nothing because it no longer
        exists. Use `get` first where an unknown code should be reported as a mistake.
        """
        unit = self.find(code, on)
        while unit is not None:
            if unit.code == ancestor_code:
                return True
            unit = None if unit.parent is None else self.find(unit.parent, on)
        return False

    def units_on(self, on: date) -> tuple[Unit, ...]:
        """Every unit in force on `on`, provinces first, then by code."""
        on = as_day(on)
        return tuple(
            sorted(
                (unit for unit in self._all_versions() if unit.valid_on(on)),
                key=lambda unit: (LEVEL_DEPTH[unit.level], unit.code),
            )
        )

    @staticmethod
    def hierarchy_for(on: date) -> Hierarchy:
        """"three_level" until 30/06/2025, "two_level" from 01/07/2025."""
        return hierarchy_for(on)

    # -- succession ---------------------------------------------------------------------------

    def successors(self, code: str) -> tuple[str, ...]:
        """Codes the closed versions of `code` passed to, in data order, without repeats.

        A surviving code lists itself (04168 → 04168: same code, new name and parent); a closed
        code lists the unit it merged into (04198 → 04168).
        """
        seen: dict[str, None] = {}
        for unit in self.versions(code):
            seen.update(dict.fromkeys(unit.successors))
        return tuple(seen)

    def predecessors(self, code: str) -> tuple[str, ...]:
        """Codes whose closed versions passed to `code` (04168 ← 04168, 04198), sorted.

        Reports that roll three-level dossiers up into a two-level commune use this.
        """
        return self._predecessors.get(code, ())

    def current_successors(self, code: str, on: date) -> tuple[Unit, ...]:
        """The units in force on `on` that `code` became, following successors transitively.

        A code still in force on `on` is its own current successor.
        """
        on = as_day(on)
        if code not in self._versions:
            raise UnknownUnit(code, on, "the code is not in the reference data")
        found: dict[str, Unit] = {}
        pending = [code]
        visited: set[tuple[str, date]] = set()
        while pending:
            current = pending.pop()
            unit = self.find(current, on)
            if unit is not None:
                found[unit.code] = unit
                continue
            closed = [
                version
                for version in self._versions.get(current, ())
                if version.valid_to is not None and version.valid_to < on
            ]
            if not closed:
                continue
            last = closed[-1]
            if (last.code, last.valid_from) in visited:
                continue
            visited.add((last.code, last.valid_from))
            pending.extend(last.successors)
        return tuple(found[key] for key in sorted(found))

    def current_successor(self, code: str, on: date) -> Unit:
        """The one unit in force on `on` that `code` became (04198 → 04168 from 01/07/2025).

        Raises `UnknownUnit` when the code leads to no unit in force that day (not yet created,
        or abolished without a successor like the districts) and `AmbiguousSuccession` when it
        was split.
        """
        units = self.current_successors(code, on)
        if not units:
            raise UnknownUnit(code, on, "no successor is in force that day")
        if len(units) > 1:
            raise AmbiguousSuccession(code, on, tuple(unit.code for unit in units))
        return units[0]

    # -- internals ----------------------------------------------------------------------------

    def _all_versions(self) -> Iterator[Unit]:
        for code in sorted(self._versions):
            yield from self._versions[code]

    def _validate(self) -> None:
        """Refuse data that would make lookups lie: overlaps, orphans, impossible parents."""
        for code, versions in self._versions.items():
            for unit in versions:
                self._validate_unit(unit)
            for earlier, later in zip(versions, versions[1:]):
                if overlaps(earlier.valid_from, earlier.valid_to, later.valid_from, later.valid_to):
                    raise ReferenceDataError(
                        f"unit {code}: versions from {earlier.valid_from} and "
                        f"{later.valid_from} are both in force on some day"
                    )

    def _validate_unit(self, unit: Unit) -> None:
        label = f"unit {unit.code} (from {unit.valid_from})"
        if not CODE_PATTERNS[unit.level].fullmatch(unit.code):
            raise ReferenceDataError(f"{label}: code does not fit a {unit.level} code")
        if unit.kind not in KINDS[unit.level]:
            raise ReferenceDataError(f"{label}: kind {unit.kind!r} is not a {unit.level} kind")
        if not unit.name:
            raise ReferenceDataError(f"{label}: empty name")
        if unit.valid_to is not None and unit.valid_to < unit.valid_from:
            raise ReferenceDataError(f"{label}: ends before it starts")
        closes_in_time = unit.valid_to is not None and unit.valid_to < TWO_LEVEL_FROM
        if unit.level is Level.DISTRICT and not closes_in_time:
            raise ReferenceDataError(f"{label}: districts end before {TWO_LEVEL_FROM}")
        if unit.successors and unit.valid_to is None:
            raise ReferenceDataError(f"{label}: only a closed version can have successors")
        self._validate_parent(unit, label)
        if unit.valid_to is not None:
            day_after = unit.valid_to + timedelta(days=1)
            for successor in unit.successors:
                if self.find(successor, day_after) is None:
                    raise ReferenceDataError(
                        f"{label}: successor {successor} is not in force the day after it closes"
                    )

    def _validate_parent(self, unit: Unit, label: str) -> None:
        if unit.level is Level.PROVINCE:
            if unit.parent is not None:
                raise ReferenceDataError(f"{label}: a province has no parent")
            return
        if unit.parent is None:
            raise ReferenceDataError(f"{label}: missing parent")
        parents = [
            parent
            for parent in self._versions.get(unit.parent, ())
            if overlaps(parent.valid_from, parent.valid_to, unit.valid_from, unit.valid_to)
        ]
        if not _covers(parents, unit.valid_from, unit.valid_to):
            raise ReferenceDataError(
                f"{label}: parent {unit.parent} is not in force over the whole validity"
            )
        for parent in parents:
            if LEVEL_DEPTH[parent.level] >= LEVEL_DEPTH[unit.level]:
                raise ReferenceDataError(f"{label}: parent {parent.code} is not above it")
            if parent.level is Level.DISTRICT and unit.level is not Level.COMMUNE:
                raise ReferenceDataError(f"{label}: only communes sit under a district")
        under_province = parents and parents[0].level is Level.PROVINCE
        if unit.level is Level.COMMUNE and under_province and unit.valid_from < TWO_LEVEL_FROM:
            raise ReferenceDataError(
                f"{label}: a commune sits directly under its province only from {TWO_LEVEL_FROM}"
            )


def _covers(versions: list[Unit], start: date, end: date | None) -> bool:
    """Whether non-overlapping versions together are in force on every day of [start, end]."""
    cursor = start
    for version in sorted(versions, key=lambda unit: unit.valid_from):
        if not version.valid_on(cursor):
            continue
        if version.valid_to is None:
            return True
        cursor = version.valid_to + timedelta(days=1)
        if end is not None and cursor > end:
            return True
    return False


def load_units() -> UnitDirectory:
    """The directory of the reference set in use (the shipped files unless a directory or an import replaced them).

    Call it for each piece of work rather than keeping the result: a newer set an administrator
    imports replaces it while the process runs (motcua_shared.reference.current).
    """
    from .current import current

    return current().units
