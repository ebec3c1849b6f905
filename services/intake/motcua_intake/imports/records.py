"""What an import file holds once read and checked: one `Record` per past dossier, and the `Problem`s
that stop a file. These are the contract between the reading side (reading.py, validation.py) and the
applying side (staging, applying, events): the names are fixed by the design, change them together."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Applicant:
    full_name: str
    id_number: str
    phone: str | None
    email: str | None
    address: str | None


@dataclass(frozen=True)
class Step:
    sequence: int            # 1-based, in the order of the file
    unit: str
    unit_path: str           # the unit's path on the day the step was assigned (or the dossier received)
    level: str               # "commune" | "district" | "province"
    agency_name: str
    action: str              # "process" | "appraise" | "approve" | "sign"
    assigned_at: datetime | None
    due_at: datetime | None
    completed_at: datetime | None
    outcome: str | None      # "approved" | "rejected" | "supplement_required"
    handled_by: str | None
    note: str | None

    @property
    def state(self) -> str:
        """completed (done), assigned (the one still open) or planned (not reached yet)."""
        if self.completed_at is not None:
            return "completed"
        if self.assigned_at is not None:
            return "assigned"
        return "planned"


@dataclass(frozen=True)
class Supplement:
    requested_at: datetime
    received_at: datetime | None     # None: still waiting for the citizen (only the last one)
    note: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Record:
    line: int                     # where it starts in the file (1-based; the header is line 1 in CSV)
    code: str
    procedure_code: str
    procedure_name: str
    procedure_level: str
    sector: str | None
    inter_agency: bool
    fee_vnd: int
    channel: str
    receiving_unit: str
    receiving_unit_path: str
    competent_unit: str
    competent_unit_path: str
    applicant: Applicant
    return_method: str
    delivery_address: str | None
    documents: tuple[dict, ...]
    received_at: datetime
    received_by: str | None
    due_at: datetime              # aware datetimes, always
    steps: tuple[Step, ...]
    supplements: tuple[Supplement, ...]
    processed_at: datetime | None
    result: str | None
    result_note: str | None
    returned_at: datetime | None
    returned_by: str | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    fingerprint: str              # sha256 hex of the canonical JSON of the record (not `line`)


@dataclass(frozen=True)
class Problem:
    line: int                     # 0: the file as a whole
    field: str
    code: str
    reason: str                   # in Vietnamese, for the person who made the file


@dataclass
class Checked:
    """What check_file found: the records to import (already imported ones left out and counted in
    `already`), every problem (at most PROBLEM_CAP of them; `problems_total` counts them all) and
    the number of records the file held."""
    records: list[Record]
    problems: list[Problem]
    total: int
    already: int = 0
    problems_total: int = 0
