"""A reference set: the units, agencies, procedures and yearly calendar files one version is made of,
checked together and identified by a digest of their content.

A set is built from the files shipped in the package, replaced file by file by a directory
(MOTCUA_REFERENCE_DIR, docs/reference-data.md) or by a set an administrator imported at intake. It is
validated whole before anything of it is used: every file (header, fields, the rules of each loader)
and the rules that span files (an agency's unit exists, every role a procedure's route asks for is held
by some agency at that level, the calendar files are valid). Every problem is reported with its file
and line; one problem and the whole set is refused, so no service ever computes with half a set.

The version is the SHA-256 of the normalised files (UTF-8 without BOM, NFC, LF line ends, one final
newline), taken over every file of the set, shipped ones included: two services with the same digest
compute with exactly the same data, whatever directory or import it came from. An optional label
(``version.txt``, first line) names it for people ("Sơn La 2027-01").
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files as package_files
from pathlib import Path
from types import MappingProxyType

from ..workcal.official import BUILT_IN_DIR as CALENDAR_BUILT_IN_DIR
from ..workcal.schedule_file import Problem, ScheduleFileError, YearSchedule, parse as parse_schedule
from .agencies import AGENCY_COLUMNS, AgencyDirectory
from .datafiles import DATA_PACKAGE, ReferenceDataError
from .hierarchy import Level
from .procedures import (DOCUMENT_COLUMNS, PROCEDURE_COLUMNS, Catalogue, _documents_by_procedure,
                         _procedure_from_row, _validate)
from .units import UNIT_COLUMNS, UnitDirectory

TABLE_FILES: dict[str, tuple[str, ...]] = {
    "units.csv": UNIT_COLUMNS,
    "agencies.csv": AGENCY_COLUMNS,
    "procedures.csv": PROCEDURE_COLUMNS,
    "procedure_documents.csv": DOCUMENT_COLUMNS,
}
CALENDAR_PREFIX = "calendar/"
CALENDAR_FILE = re.compile(r"^calendar/(\d{4})\.csv$")
LABEL_FILE = "version.txt"
MAX_LABEL = 200
MAX_FILE_BYTES = 2 * 1024 * 1024
"""A file larger than this is not a district's reference data (the shipped procedures.csv, the largest,
is 56 KB); the bound keeps the whole set far below the broker's 16 MiB per event."""

_KEY_OF_MESSAGE = re.compile(r"^(?:unit|agency|procedure) (\S+)")


class InvalidReferenceSet(ValueError):
    """The set is refused; `problems` names each file, line and problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(report(problems))


def report(problems: list[Problem]) -> str:
    """The report printed by `check` and by a service that refuses to start: one problem a line."""
    return "\n".join(f"  {problem}" for problem in problems)


def normalise(text: str) -> str:
    """The form a file is stored, digested and parsed in: no BOM, NFC, LF line ends, one final newline."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    return text.rstrip("\n") + "\n"


def digest(texts: Mapping[str, str]) -> str:
    """SHA-256 over the normalised files, by name: the set's version."""
    hasher = hashlib.sha256()
    for name in sorted(texts):
        hasher.update(name.encode("utf-8") + b"\0" + normalise(texts[name]).encode("utf-8") + b"\0")
    return hasher.hexdigest()


def shipped_files() -> dict[str, str]:
    """Every file shipped in the package, under its name in a set."""
    texts = {name: (package_files(DATA_PACKAGE) / "data" / name).read_text(encoding="utf-8")
             for name in TABLE_FILES}
    for path in sorted(CALENDAR_BUILT_IN_DIR.glob("*.csv")):
        texts[CALENDAR_PREFIX + path.name] = path.read_text(encoding="utf-8")
    return texts


def read_directory(directory: str | Path, *, calendar_only: bool = False) -> tuple[dict[str, str], str | None]:
    """The files a directory holds (those it does not hold are not in the result) and its label.

    `calendar_only` reads a MOTCUA_CALENDAR_DIR: its YYYY.csv files are the set's calendar files.
    Unknown files (a README, the notice's scan) are ignored; a file that is not UTF-8 is a problem.
    """
    root = Path(directory)
    if not root.is_dir():
        raise InvalidReferenceSet([Problem(str(root), None, "không phải là thư mục (not a directory)")])
    problems: list[Problem] = []
    found: dict[str, str] = {}
    candidates = [] if calendar_only else [(name, root / name) for name in TABLE_FILES]
    calendar_dir = root if calendar_only else root / "calendar"
    if calendar_dir.is_dir():
        candidates += [(CALENDAR_PREFIX + path.name, path) for path in sorted(calendar_dir.iterdir())
                       if path.suffix.lower() == ".csv"]
    for name, path in candidates:
        if not path.is_file():
            continue
        data = path.read_bytes()
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(name, None, f"larger than {MAX_FILE_BYTES // 1024} KiB"))
            continue
        try:
            found[name] = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
    label = None
    if not calendar_only and (root / LABEL_FILE).is_file():
        try:
            lines = (root / LABEL_FILE).read_bytes()[:4096].decode("utf-8-sig").strip().splitlines()
        except UnicodeDecodeError:
            problems.append(Problem(LABEL_FILE, None, "not UTF-8 text"))
            lines = []
        label = unicodedata.normalize("NFC", lines[0].strip())[:MAX_LABEL] if lines else None
    if problems:
        raise InvalidReferenceSet(problems)
    return found, label or None


def compose(*layers: Mapping[str, str]) -> dict[str, str]:
    """Later layers replace earlier ones file by file (shipped, then a directory, ...)."""
    texts: dict[str, str] = {}
    for layer in layers:
        texts.update(layer)
    return {name: normalise(text) for name, text in sorted(texts.items())}


@dataclass(frozen=True, eq=False)
class ReferenceSet:
    """One checked version of the reference data. Immutable; build it with `build`.

    `sequence` orders the versions an administrator imported (intake's import number): 0 for a set
    read from the shipped files and a mounted directory, which any imported set replaces.
    """

    files: Mapping[str, str]
    units: UnitDirectory
    agencies: AgencyDirectory
    catalogue: Catalogue
    calendar: Mapping[int, YearSchedule]
    label: str | None = None
    sequence: int = 0
    origin: str = "shipped"
    version: str = ""

    @cached_property
    def size(self) -> int:
        return sum(len(text.encode("utf-8")) for text in self.files.values())

    def describe(self) -> dict:
        """What /readyz and the CLI say about the set in use."""
        return {"version": self.version, "label": self.label, "sequence": self.sequence, "origin": self.origin}


def verified(texts: Mapping[str, str], version: str, *, label: str | None, sequence: int,
             origin: str) -> ReferenceSet:
    """A set received from elsewhere (an announcement, intake's files) as a checked set, refused when its
    content is not the version it claims or breaks a rule."""
    if digest(texts) != version:
        raise InvalidReferenceSet([Problem("files", None, f"content does not match version {version}")])
    return build(texts, label=label, sequence=sequence, origin=origin)


def build(texts: Mapping[str, str], *, label: str | None = None, sequence: int = 0,
          origin: str = "shipped") -> ReferenceSet:
    """Check `texts` (every file of the set, already composed) and build the set; InvalidReferenceSet lists
    every problem found."""
    texts = {name: normalise(text) for name, text in texts.items()}
    problems: list[Problem] = []
    for name in texts:
        if name not in TABLE_FILES and not CALENDAR_FILE.match(name):
            problems.append(Problem(name, None, "not a reference file (units.csv, agencies.csv, procedures.csv, "
                                                "procedure_documents.csv, calendar/YYYY.csv)"))
    for name in TABLE_FILES:
        if name not in texts:
            problems.append(Problem(name, None, "missing from the set"))
    if problems:
        raise InvalidReferenceSet(problems)
    rows = {name: _rows(name, texts[name], columns, problems) for name, columns in TABLE_FILES.items()}
    units = _model(problems, "units.csv", rows["units.csv"], lambda: UnitDirectory.from_rows(rows["units.csv"]))
    agencies = _model(problems, "agencies.csv", rows["agencies.csv"],
                      lambda: AgencyDirectory.from_rows(rows["agencies.csv"]))
    catalogue = _catalogue(rows["procedures.csv"], rows["procedure_documents.csv"], problems)
    calendar = _calendar(texts, problems)
    if units is not None and agencies is not None:
        _check_agency_units(units, agencies, rows["agencies.csv"], problems)
    if units is not None and agencies is not None and catalogue is not None:
        _check_roles(units, agencies, catalogue, rows["procedures.csv"], problems)
    if problems:
        raise InvalidReferenceSet(problems)
    return ReferenceSet(files=MappingProxyType(dict(sorted(texts.items()))), units=units, agencies=agencies,
                        catalogue=catalogue, calendar=MappingProxyType(calendar), label=label, sequence=sequence,
                        origin=origin, version=digest(texts))


def from_directory(directory: str | Path | None, calendar_directory: str | Path | None = None) -> ReferenceSet:
    """The shipped files replaced by those of `directory` (MOTCUA_REFERENCE_DIR) and, for the calendar, of
    `calendar_directory` (MOTCUA_CALENDAR_DIR, the older setting kept as an alias: its years win)."""
    layers: list[Mapping[str, str]] = [shipped_files()]
    label, origins, paths = None, ["shipped"], {}
    if directory:
        texts, label = read_directory(directory)
        layers.append(texts)
        origins.append(str(directory))
        paths.update({name: str(Path(directory) / name) for name in texts})
    if calendar_directory:
        texts = read_directory(calendar_directory, calendar_only=True)[0]
        layers.append(texts)
        origins.append(str(calendar_directory))
        paths.update({name: str(Path(calendar_directory) / name.removeprefix(CALENDAR_PREFIX)) for name in texts})
    try:
        return build(compose(*layers), label=label, origin=" + ".join(origins))
    except InvalidReferenceSet as exc:
        # Name the file the administrator edits, not its place in the set.
        raise InvalidReferenceSet([Problem(paths.get(p.file, p.file), p.line, p.message) for p in exc.problems]) from None


# -- checks -------------------------------------------------------------------------------------------


def _rows(name: str, text: str, columns: tuple[str, ...], problems: list[Problem]) -> list[dict[str, str]]:
    """Rows as the loaders take them (stripped strings by column), with every header or field-count problem."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        if reader.fieldnames != list(columns):
            problems.append(Problem(name, 1, f"the header must be {','.join(columns)}, "
                                             f"got {','.join(reader.fieldnames or [])}"))
            return []
        rows = []
        for row in reader:
            line = reader.line_num
            if None in row or any(value is None for value in row.values()):
                problems.append(Problem(name, line, f"expected {len(columns)} fields"))
                continue
            rows.append({key: value.strip() for key, value in row.items()} | {"__line__": str(line)})
    except csv.Error as error:  # a field beyond the csv module's limit, a stray quote at the end of the file
        problems.append(Problem(name, reader.line_num or None, f"not readable as CSV: {error}"))
        return []
    return rows


def _line_of(rows: list[dict[str, str]], key_column: str, message: str) -> int | None:
    match = _KEY_OF_MESSAGE.match(message)
    if match:
        for row in rows:
            if row.get(key_column) == match.group(1):
                return int(row["__line__"])
    return None


def _split(name: str, message: str) -> tuple[int | None, str]:
    """A loader's "file:line: problem" message as (line, problem)."""
    prefix = re.match(rf"^{re.escape(name)}:(\d+): ", message)
    return (int(prefix.group(1)), message[prefix.end():]) if prefix else (None, message)


def _model(problems: list[Problem], name: str, rows: list[dict[str, str]], make):
    if not rows and any(problem.file == name for problem in problems):
        return None
    try:
        return make()
    except ReferenceDataError as error:
        line, message = _split(name, str(error))
        key = "id" if name == "agencies.csv" else "code"
        problems.append(Problem(name, line if line is not None else _line_of(rows, key, message), message))
        return None


def _catalogue(rows: list[dict[str, str]], document_rows: list[dict[str, str]],
               problems: list[Problem]) -> Catalogue | None:
    """Each procedure checked on its own, so every wrong row is reported, not only the first."""
    found_before = len(problems)
    try:
        documents = _documents_by_procedure(document_rows)
    except ReferenceDataError as error:
        line, message = _split("procedure_documents.csv", str(error))
        problems.append(Problem("procedure_documents.csv", line, message))
        return None
    procedures, seen = [], {}
    for row in rows:
        line = int(row["__line__"])
        try:
            procedure = _procedure_from_row(row, documents.pop(row["code"], ()), f"procedures.csv:{line}")
            _validate(procedure)
        except ReferenceDataError as error:
            problems.append(Problem("procedures.csv", line, _split("procedures.csv", str(error))[1]))
            continue
        if procedure.code in seen:
            problems.append(Problem("procedures.csv", line, f"procedure {procedure.code} is already on line "
                                                            f"{seen[procedure.code]}"))
            continue
        seen[procedure.code] = line
        procedures.append(procedure)
    for code in sorted(documents):
        line = next(int(row["__line__"]) for row in document_rows if row["procedure_code"] == code)
        problems.append(Problem("procedure_documents.csv", line, f"documents of an unknown procedure {code}"))
    if len(problems) != found_before:
        return None
    return Catalogue(procedures)


def _calendar(texts: Mapping[str, str], problems: list[Problem]) -> dict[int, YearSchedule]:
    years: dict[int, YearSchedule] = {}
    for name, text in sorted(texts.items()):
        match = CALENDAR_FILE.match(name)
        if match is None:
            continue
        try:
            years[int(match.group(1))] = parse_schedule(text, int(match.group(1)), name)
        except ScheduleFileError as exc:
            problems.extend(exc.problems)
        except csv.Error as error:
            problems.append(Problem(name, None, f"not readable as CSV: {error}"))
    return years


def _check_agency_units(units: UnitDirectory, agencies: AgencyDirectory, rows: list[dict[str, str]],
                        problems: list[Problem]) -> None:
    known = {unit.code for unit in units.all()}
    for row in rows:
        if row["unit_code"] not in known:
            problems.append(Problem("agencies.csv", int(row["__line__"]),
                                    f"agency {row['id']}: unit {row['unit_code']} is not in units.csv"))


def _check_roles(units: UnitDirectory, agencies: AgencyDirectory, catalogue: Catalogue,
                 rows: list[dict[str, str]], problems: list[Problem]) -> None:
    """Every role a procedure asks of a level is held by some agency of a unit of that level: a procedure
    nobody can handle would be received at the desk and then stall in routing."""
    level_of = {unit.code: unit.level for unit in units.all()}
    held: set[tuple[Level, str]] = {(level_of[agency.unit_code], role) for agency in agencies.all()
                                    if agency.unit_code in level_of for role in agency.roles}
    lines = {row["code"]: int(row["__line__"]) for row in rows}
    for procedure in catalogue.all():
        for era, handlers in (("three_level", procedure.handlers), ("two_level", procedure.handlers_two_level)):
            for level, roles in handlers:
                for role in roles:
                    if (level, role) not in held:
                        problems.append(Problem("procedures.csv", lines.get(procedure.code), (
                            f"procedure {procedure.code}: no agency of a {level} unit holds the role {role!r} "
                            f"({era} route) in agencies.csv")))
