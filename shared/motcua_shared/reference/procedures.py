"""The procedure catalogue (danh mục thủ tục hành chính) shipped with motcua.

``procedures.csv`` holds every one of the 46 procedures of the reference catalogue (the project
handout, copied as ``tests/data/reference_procedures.csv``: public portal pages, legal texts and
DVCQG mirrors): their national TTHC codes and published names, sector, level, time limit, fee and
where the fee comes from
(``fee_source``), online level in 2019 and today, postal channel, route through the levels under
both hierarchies, and the role of the agency that handles each step. ``procedure_documents.csv``
holds the dossier components. Each row keeps the source column and a ``notes`` column that names
every value derived rather than read from the source. docs/catalogue.md describes the columns;
tests/unit/test_catalogue_reference.py lists every deliberate difference from the reference.

Where no amount is published for a fee (eight rows: no source names one and Sơn La's HĐND
resolutions were not found) the fee basis is ``unpublished`` and ``fee_vnd`` 0 means "not known",
never "free". The two inter-agency death groups (1.010915, 1.011537) publish no time limit; theirs
is derived from their component procedures and flagged in ``notes``.

Mapping decisions (the public contract, docs/contracts.md §5, allows only the enums below):

- **Same day → ``same_day``, value 0.** "Trong ngày" always comes with the 15:00 rule: received
  before 15:00, the result is due by close of business that day; after 15:00, by close of the
  next working day. No fixed number of working hours reproduces that (8 hours gave a 10:00 receipt
  until 10:00 the next day), so the contract has its own unit (docs/contracts.md §5) and the calendar
  computes it exactly (`motcua_shared.workcal`, unit ``same_day``). The nine rows whose source
  says "trong ngày" use it: the eight the reference file marks ``same_day`` (the two without a
  code there are MC.003 and MC.007 here) and 2.000635, whose source page is silent but which
  docs/domain.md §2.3 quotes as "trong ngày, sau 15 giờ thì hôm sau".
- **Online level over time.** ``online`` is the Decree 42/2022 level (in force 01/08/2022);
  ``online_2019`` the earlier level 3/4 scale, mapped back from the current level where no
  source of that time states it (full ≈ level 4, partial ≈ level 3) and ``none`` for a service
  that did not exist online then. `Procedure.online_on(day)` answers for any day.
- **Online level.** "Toàn trình" and the old level 4 ("mức 4") → ``full``; "một phần" and the old
  level 3 → ``partial``; a source that shows an online channel without stating its level (a
  portal link, a discount or waiver for online filing) → ``partial``; a source that shows none →
  ``none``. `online_level_from_published` is that mapping for a stated level.
- **Bare "ngày"** is kept as ``calendar_days`` as the reference file does; its notes flag
  these as ambiguous.
- **Two-level route.** From 01/07/2025 the district level is gone; the district procedures here
  move to the commune (the reference list's notes; the source rows for 2.000806 say so
  explicitly), provincial ones stay provincial, and the inter-agency birth groups stay at the
  commune because the social insurance office that issued the health card is a vertical agency
  outside the hierarchy. The death groups (1.010915, 1.011537) climb commune → district →
  province until 30/06/2025 and commune → province from 01/07/2025: the commune's culture and
  society office takes the district's social-assistance step.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .agencies import ROLES
from .datafiles import ReferenceDataError, parse_bool, parse_optional_day
from .hierarchy import LEVEL_DEPTH, Hierarchy, Level, hierarchy_for
from .text import fold

PROCEDURE_COLUMNS = (
    "code",
    "name",
    "sector",
    "level",
    "level_two_level",
    "processing_time_value",
    "processing_time_unit",
    "processing_time_as_published",
    "fee_vnd",
    "fee_basis",
    "fee_source",
    "fee_note",
    "online_2019",
    "online",
    "online_as_published",
    "postal_allowed",
    "inter_agency",
    "route",
    "route_two_level",
    "handlers",
    "handlers_two_level",
    "in_force_from",
    "notes",
    "source",
)
DOCUMENT_COLUMNS = ("procedure_code", "position", "name", "copy_type", "count", "condition")

NATIONAL_CODE = re.compile(r"\d\.\d{6}")
"""Shape of a code in the National TTHC Database (e.g. 1.001193)."""
LOCAL_CODE = re.compile(r"MC\.\d{3}")
"""Project-local code for a procedure whose national code was not found; replace it with the
national code once known, keeping the local one as an alias."""

_WORD = re.compile(r"[a-z0-9]+")


class ProcessingTimeUnit(StrEnum):
    """Units of a time limit allowed by the public contract."""

    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    SAME_DAY = "same_day"  # "trong ngày": value 0, the day's close (after 15:00: the next day's)


class OnlineLevel(StrEnum):
    """Online service level (Decree 42/2022 Art. 11): full process, partial, or not online."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class OnlineLevel2019(StrEnum):
    """Online service level before Decree 42/2022 (Decree 43/2011, Circular 32/2017): level 4 (online
    submission, payment and return), level 3 (online submission and processing), or below (levels 1-2:
    information and forms only, no online submission), written ``none``."""

    LEVEL_4 = "level_4"
    LEVEL_3 = "level_3"
    NONE = "none"

    @property
    def as_current(self) -> OnlineLevel:
        """The Decree 42/2022 level a dossier of that time counts under: level 4 was full-process,
        level 3 partial (online submission, paper or counter somewhere in the process)."""
        return {"level_4": OnlineLevel.FULL, "level_3": OnlineLevel.PARTIAL, "none": OnlineLevel.NONE}[self.value]


ONLINE_LEVELS_SINCE = date(2022, 8, 1)
"""Decree 42/2022/NĐ-CP (24/06/2022) replaced levels 1-4 with full/partial. Its entry into force
on 01/08/2022 is recalled, not read in a stored copy of the decree: verify before relying on the
weeks around it."""


class FeeBasis(StrEnum):
    """Where `fee_vnd` comes from: read from a source, or reasoned here (see `notes`)."""

    PUBLISHED = "published"  # the amount published by the cited source (often another province)
    FREE = "free"  # the source says no fee
    DERIVED = "derived"  # the source is silent; the value is reasoned in the notes
    UNPUBLISHED = "unpublished"  # no amount found anywhere: fee_vnd is 0 and means "not known", not free


class CopyType(StrEnum):
    """Form of a dossier component: bản chính, bản sao, or an electronic file."""

    ORIGINAL = "original"
    COPY = "copy"
    ELECTRONIC = "electronic"


@dataclass(frozen=True, slots=True)
class ProcessingTime:
    """A time limit as the contract publishes it: ``{"value": 3, "unit": "working_days"}``."""

    value: int
    unit: ProcessingTimeUnit


@dataclass(frozen=True, slots=True)
class RequiredDocument:
    """A dossier component; `condition` is empty when it is always required."""

    name: str
    copy_type: CopyType
    count: int
    condition: str = ""


@dataclass(frozen=True, slots=True)
class Procedure:
    """One administrative procedure of the catalogue.

    `level`, `route` and `handlers` describe the three-level world (until 30/06/2025);
    the ``*_two_level`` fields describe it from 01/07/2025. Use the ``*_on(day)`` methods
    rather than picking a field by hand.
    """

    code: str
    name: str
    sector: str
    level: Level
    level_two_level: Level
    processing_time: ProcessingTime
    processing_time_as_published: str
    fee_vnd: int
    fee_basis: FeeBasis
    fee_source: str
    fee_note: str
    online_2019: OnlineLevel2019
    online: OnlineLevel
    online_as_published: str
    postal_allowed: bool
    inter_agency: bool
    route: tuple[Level, ...]
    route_two_level: tuple[Level, ...]
    handlers: tuple[tuple[Level, tuple[str, ...]], ...]
    handlers_two_level: tuple[tuple[Level, tuple[str, ...]], ...]
    in_force_from: date | None
    documents: tuple[RequiredDocument, ...]
    notes: str
    source: str

    @property
    def has_national_code(self) -> bool:
        """Whether `code` is a national TTHC code rather than a project-local one."""
        return NATIONAL_CODE.fullmatch(self.code) is not None

    def in_force_on(self, on: date) -> bool:
        """Whether the procedure existed on `on` (an inter-agency group created by a later decision
        did not: 1.011537 from 29/12/2023, the electronic birth group MC.011 from 12/06/2024)."""
        return self.in_force_from is None or on >= self.in_force_from

    def online_on(self, on: date) -> OnlineLevel:
        """The online level in force on `on`: the current `online` from Decree 42/2022, before it the
        2019-era level (`online_2019`) read in today's terms. Reports of past years count online
        dossiers against this, not against today's level."""
        if on >= ONLINE_LEVELS_SINCE:
            return self.online
        return self.online_2019.as_current

    def level_on(self, on: date) -> Level:
        """The level whose agency decides, in the hierarchy in force on `on`."""
        return self.level if hierarchy_for(on) is Hierarchy.THREE_LEVEL else self.level_two_level

    def route_on(self, on: date) -> tuple[Level, ...]:
        """Levels the dossier passes through, lodging level first, on day `on`."""
        return self.route if hierarchy_for(on) is Hierarchy.THREE_LEVEL else self.route_two_level

    def handlers_on(self, on: date) -> dict[Level, tuple[str, ...]]:
        """Agency roles per level of `route_on(on)`, in route order."""
        if hierarchy_for(on) is Hierarchy.THREE_LEVEL:
            return dict(self.handlers)
        return dict(self.handlers_two_level)


class UnknownProcedure(LookupError):
    """The catalogue holds no procedure with that code."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"no procedure {code!r} in the catalogue")


def online_level_from_published(text: str) -> OnlineLevel | None:
    """Map a published online level ("Toàn trình", "Một phần", "Mức 4"...) to the contract enum.

    Returns None when the text states no level (a bare channel description or nothing), since
    whether that means ``partial`` or ``none`` depends on what else the source shows.
    """
    folded = fold(text)
    if "toan trinh" in folded or re.search(r"\bmuc( truc tuyen)? 4\b", folded):
        return OnlineLevel.FULL
    if "mot phan" in folded or re.search(r"\bmuc( truc tuyen)? 3\b", folded):
        return OnlineLevel.PARTIAL
    return None


class Catalogue:
    """The procedures, validated once and indexed for lookup and accent-insensitive search."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        self._procedures = tuple(procedures)
        self._by_code: dict[str, Procedure] = {}
        for procedure in self._procedures:
            if procedure.code in self._by_code:
                raise ReferenceDataError(f"procedure {procedure.code}: listed twice")
            _validate(procedure)
            self._by_code[procedure.code] = procedure
        self._search_words = {
            procedure.code: _WORD.findall(
                fold(f"{procedure.code} {procedure.name} {procedure.sector}")
            )
            for procedure in self._procedures
        }

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, str]], document_rows: Iterable[Mapping[str, str]]
    ) -> Catalogue:
        """Build a catalogue from rows shaped like ``procedures.csv`` and its documents file."""
        documents = _documents_by_procedure(document_rows)
        procedures = [
            _procedure_from_row(row, documents.pop(row["code"], ()), f"procedures.csv:{index}")
            for index, row in enumerate(rows, start=2)
        ]
        if documents:
            raise ReferenceDataError(
                f"procedure_documents.csv: documents for unknown procedures {sorted(documents)}"
            )
        return cls(procedures)

    def all(self) -> tuple[Procedure, ...]:
        """Every procedure, in catalogue order (commune, district, province)."""
        return self._procedures

    def get(self, code: str) -> Procedure:
        """The procedure with that code; raises `UnknownProcedure`."""
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownProcedure(code) from None

    def by_level(self, level: Level | str, on: date | None = None) -> tuple[Procedure, ...]:
        """Procedures decided at `level`: as catalogued, or in the hierarchy in force on `on`."""
        level = Level(level)
        return tuple(
            procedure
            for procedure in self._procedures
            if (procedure.level if on is None else procedure.level_on(on)) is level
        )

    def route_on(self, code: str, on: date) -> tuple[Level, ...]:
        """Levels the procedure's dossier passes through on day `on` (see `Procedure.route_on`)."""
        return self.get(code).route_on(on)

    def search(self, text: str) -> tuple[Procedure, ...]:
        """Procedures whose code, name or sector match `text`, ignoring accents and case.

        Every word of the query must start a word of the procedure ("dang ky ket hon" finds
        "Thủ tục đăng ký kết hôn"; "khai sinh" finds every birth procedure). Procedures that
        contain the query words consecutively come first; otherwise catalogue order is kept.
        """
        query = _WORD.findall(fold(text))
        if not query:
            return ()
        phrase = " ".join(query)
        matches = [
            procedure
            for procedure in self._procedures
            if all(
                any(word.startswith(term) for word in self._search_words[procedure.code])
                for term in query
            )
        ]
        return tuple(
            sorted(
                matches,
                key=lambda procedure: phrase not in " ".join(self._search_words[procedure.code]),
            )
        )


def _procedure_from_row(
    row: Mapping[str, str], documents: tuple[RequiredDocument, ...], where: str
) -> Procedure:
    try:
        return Procedure(
            code=row["code"],
            name=row["name"],
            sector=row["sector"],
            level=Level(row["level"]),
            level_two_level=Level(row["level_two_level"]),
            processing_time=ProcessingTime(
                value=int(row["processing_time_value"]),
                unit=ProcessingTimeUnit(row["processing_time_unit"]),
            ),
            processing_time_as_published=row["processing_time_as_published"],
            fee_vnd=int(row["fee_vnd"]),
            fee_basis=FeeBasis(row["fee_basis"]),
            fee_source=row["fee_source"],
            fee_note=row["fee_note"],
            online_2019=OnlineLevel2019(row["online_2019"]),
            online=OnlineLevel(row["online"]),
            online_as_published=row["online_as_published"],
            postal_allowed=parse_bool(row["postal_allowed"], where=where),
            inter_agency=parse_bool(row["inter_agency"], where=where),
            route=tuple(Level(level) for level in row["route"].split()),
            route_two_level=tuple(Level(level) for level in row["route_two_level"].split()),
            handlers=_parse_handlers(row["handlers"]),
            handlers_two_level=_parse_handlers(row["handlers_two_level"]),
            in_force_from=parse_optional_day(row["in_force_from"], where=where),
            documents=documents,
            notes=row["notes"],
            source=row["source"],
        )
    except ValueError as error:
        raise ReferenceDataError(f"{where}: {error}") from None


def _parse_handlers(cell: str) -> tuple[tuple[Level, tuple[str, ...]], ...]:
    """Parse ``commune:justice,residence district:social_insurance``."""
    pairs = []
    for part in cell.split():
        level, _, roles = part.partition(":")
        pairs.append((Level(level), tuple(role for role in roles.split(",") if role)))
    return tuple(pairs)


def _documents_by_procedure(
    rows: Iterable[Mapping[str, str]],
) -> dict[str, tuple[RequiredDocument, ...]]:
    grouped: dict[str, list[tuple[int, RequiredDocument]]] = defaultdict(list)
    for index, row in enumerate(rows, start=2):
        where = f"procedure_documents.csv:{index}"
        try:
            document = RequiredDocument(
                name=row["name"],
                copy_type=CopyType(row["copy_type"]),
                count=int(row["count"]),
                condition=row["condition"],
            )
            grouped[row["procedure_code"]].append((int(row["position"]), document))
        except ValueError as error:
            raise ReferenceDataError(f"{where}: {error}") from None
    result = {}
    for code, numbered in grouped.items():
        positions = [position for position, _ in numbered]
        if sorted(positions) != list(range(1, len(positions) + 1)):
            raise ReferenceDataError(f"procedure_documents.csv: {code} positions are not 1..n")
        result[code] = tuple(document for _, document in sorted(numbered, key=lambda pair: pair[0]))
    return result


def _validate(procedure: Procedure) -> None:
    """Refuse a procedure whose fields contradict each other or the contract."""
    label = f"procedure {procedure.code}"
    if not (NATIONAL_CODE.fullmatch(procedure.code) or LOCAL_CODE.fullmatch(procedure.code)):
        raise ReferenceDataError(f"{label}: code is neither national (1.001193) nor local (MC.001)")
    if not procedure.name or not procedure.sector:
        raise ReferenceDataError(f"{label}: name and sector are required")
    same_day = procedure.processing_time.unit is ProcessingTimeUnit.SAME_DAY
    if same_day and procedure.processing_time.value != 0:
        raise ReferenceDataError(f"{label}: a same_day time limit has value 0")
    if not same_day and procedure.processing_time.value <= 0:
        raise ReferenceDataError(f"{label}: time limit must be positive")
    zero_only = (FeeBasis.FREE, FeeBasis.UNPUBLISHED)
    if procedure.fee_vnd < 0 or (procedure.fee_basis in zero_only and procedure.fee_vnd != 0):
        raise ReferenceDataError(f"{label}: fee {procedure.fee_vnd} fits no {procedure.fee_basis}")
    if not procedure.fee_source:
        raise ReferenceDataError(f"{label}: say where the fee comes from (fee_source)")
    if not procedure.documents or any(document.count < 1 for document in procedure.documents):
        raise ReferenceDataError(f"{label}: needs documents, each with a count of at least 1")
    for route, level, handlers, era in (
        (procedure.route, procedure.level, procedure.handlers, Hierarchy.THREE_LEVEL),
        (
            procedure.route_two_level,
            procedure.level_two_level,
            procedure.handlers_two_level,
            Hierarchy.TWO_LEVEL,
        ),
    ):
        if not route or level not in route:
            raise ReferenceDataError(f"{label}: {era} route {route} must include level {level}")
        depths = [LEVEL_DEPTH[step] for step in route]
        if depths != sorted(set(depths), reverse=True):
            raise ReferenceDataError(f"{label}: {era} route must climb from lodging level upwards")
        if era is Hierarchy.TWO_LEVEL and Level.DISTRICT in route:
            raise ReferenceDataError(f"{label}: no district level from 01/07/2025")
        if tuple(step for step, _ in handlers) != route:
            raise ReferenceDataError(f"{label}: {era} handlers must name each route level once")
        for step, roles in handlers:
            if not roles or not set(roles) <= ROLES.keys():
                raise ReferenceDataError(f"{label}: {era} {step} roles {roles} are not known roles")
    if len(procedure.route) > 1 and not procedure.inter_agency:
        raise ReferenceDataError(f"{label}: a route through several levels is inter-agency")


def load_catalogue() -> Catalogue:
    """The catalogue of the reference set in use (the shipped files unless a directory or an import replaced them).

    Call it for each piece of work rather than keeping the result: a newer set an administrator
    imports replaces it while the process runs (motcua_shared.reference.current).
    """
    from .current import current

    return current().catalogue
