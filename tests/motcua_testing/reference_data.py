"""Reference set directories for tests: the shipped files, changed the way a district would change them."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Mapping

from motcua_shared.reference.sets import TABLE_FILES, shipped_files

NEW_COMMUNE = "04999"
NEW_PROCEDURE = "MC.901"
CHANGED_PROCEDURE = "1.004873"  # xác nhận tình trạng hôn nhân: 3 working days shipped


def rows_of(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(shipped_files()[name])))


def write_table(directory: Path, name: str, rows: Iterable[Mapping[str, str]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=TABLE_FILES[name], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def district_set(directory: Path, *, days: int = 5, label: str | None = "Sơn La thử nghiệm") -> Path:
    """A set a district might import: 1.004873 takes `days` working days, a new commune 04999 with its People's
    Committee, and a new commune-level procedure MC.901 (2 working days) handled by it."""
    procedures = rows_of("procedures.csv")
    template = next(row for row in procedures if row["code"] == CHANGED_PROCEDURE)
    for row in procedures:
        if row["code"] == CHANGED_PROCEDURE:
            row["processing_time_value"] = str(days)
    procedures.append({**template, "code": NEW_PROCEDURE, "name": "Thủ tục xác nhận thử nghiệm của xã",
                       "processing_time_value": "2", "processing_time_unit": "working_days", "in_force_from": ""})
    documents = rows_of("procedure_documents.csv")
    documents.append({"procedure_code": NEW_PROCEDURE, "position": "1", "name": "Tờ khai (theo mẫu)",
                      "copy_type": "original", "count": "1", "condition": ""})
    units = rows_of("units.csv")
    units.append({"code": NEW_COMMUNE, "name": "Xã Thử Nghiệm", "level": "commune", "kind": "xã", "parent": "14",
                  "valid_from": "2025-07-01", "valid_to": "", "successors": "", "source": "tests"})
    agencies = rows_of("agencies.csv")
    agencies.append({"id": f"14.{NEW_COMMUNE}.UBND", "unit_code": NEW_COMMUNE, "name": "Ủy ban nhân dân xã Thử Nghiệm",
                     "valid_from": "2025-07-01", "valid_to": "", "roles": "justice residence social_affairs",
                     "sectors": "Hộ tịch", "note": ""})
    write_table(directory, "procedures.csv", procedures)
    write_table(directory, "procedure_documents.csv", documents)
    write_table(directory, "units.csv", units)
    write_table(directory, "agencies.csv", agencies)
    if label:
        (directory / "version.txt").write_text(label + "\n", encoding="utf-8")
    return directory
