"""Helpers of the import tests: checked Records built directly (as validation.py hands them over), the
JSON-lines file that reads into the same records, and reading back what an import wrote."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from motcua_intake import reference
from motcua_intake.imports.records import Applicant, Checked, Record, Step, Supplement

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT = "04222"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def step(sequence: int, assigned: str | None, completed: str | None, outcome: str | None = None, *,
         unit: str = UNIT, handled_by: str | None = "Cầm Văn Pọm") -> Step:
    day = (at(assigned) if assigned else at("2019-03-15 08:00")).date()
    units = reference.units()
    return Step(sequence=sequence, unit=unit, unit_path=units.path(unit, day), level="commune",
                agency_name=f"UBND {units.get(unit, day).name.lower()}", action="process",
                assigned_at=at(assigned) if assigned else None, due_at=None,
                completed_at=at(completed) if completed else None, outcome=outcome,
                handled_by=handled_by if completed else None, note=None)


def record(n: int, *, kind: str = "returned", line: int | None = None, unit: str = UNIT,
           received: datetime | None = None, name: str = "Lò Văn Hùng") -> Record:
    """A 2019 dossier of 1.004884 (5 working days) at Chiềng Khương, received on day `n` of March-ish.

    kind: returned | processed | in_progress | supplement_open | supplement_done | withdrawn | received"""
    received = received or at("2019-03-11 08:30") + timedelta(days=n % 20, minutes=n % 300)
    day = received.date()
    units, procedure = reference.units(), reference.catalogue().get("1.004884")
    path = units.path(unit, day)

    def t(hours: float) -> str:
        return (received + timedelta(hours=hours)).replace(tzinfo=None).isoformat(sep=" ")

    steps: tuple[Step, ...] = ()
    supplements: tuple[Supplement, ...] = ()
    processed = returned = withdrawn = None
    result = None
    if kind in ("returned", "processed", "supplement_done"):
        steps = (step(1, t(1), t(50), "approved", unit=unit),)
        processed, result = received + timedelta(hours=50), "approved"
        if kind == "returned":
            returned = received + timedelta(hours=74)
    if kind == "supplement_done":
        steps = (step(1, t(1), t(20), "supplement_required", unit=unit), step(2, t(30), t(50), "approved", unit=unit))
        supplements = (Supplement(received + timedelta(hours=20), received + timedelta(hours=28),
                                  "Thiếu bản sao Giấy khai sinh", ("Bản sao Giấy khai sinh",)),)
    if kind == "in_progress":
        steps = (step(1, t(1), None, unit=unit),)
    if kind == "supplement_open":
        steps = (step(1, t(1), t(20), "supplement_required", unit=unit),)
        supplements = (Supplement(received + timedelta(hours=20), None, "Thiếu tờ khai", ()),)
    if kind == "withdrawn":
        withdrawn = received + timedelta(hours=5)
    code = f"H52.{unit}-{day:%y%m%d}-{n:04d}"
    fields = dict(
        line=line or n + 1, code=code, procedure_code=procedure.code, procedure_name=procedure.name,
        procedure_level=str(procedure.level_on(day)), sector=procedure.sector, inter_agency=procedure.inter_agency,
        fee_vnd=procedure.fee_vnd, channel="counter", receiving_unit=unit, receiving_unit_path=path,
        competent_unit=unit, competent_unit_path=path,
        applicant=Applicant(name, f"0140900{n:05d}", "0912345678", None, "Bản Hưng Mai"),
        return_method="counter", delivery_address=None,
        documents=({"name": "Tờ khai", "copy_type": "original", "count": 1},),
        received_at=received, received_by="Lò Thị Hoa", due_at=received + timedelta(days=7), steps=steps,
        supplements=supplements, processed_at=processed, result=result, result_note=None,
        returned_at=returned, returned_by="counter" if returned else None, withdrawn_at=withdrawn,
        withdrawal_reason="Công dân không còn nhu cầu." if withdrawn else None, fingerprint="")
    made = Record(**fields)
    return replace(made, fingerprint=hashlib.sha256(code.encode() + kind.encode()).hexdigest())


KINDS = ("returned", "processed", "in_progress", "supplement_open", "supplement_done", "withdrawn", "received")


def records(count: int) -> list[Record]:
    return [record(n, kind=KINDS[n % len(KINDS)]) for n in range(1, count + 1)]


def checked(items: list[Record], already: int = 0) -> Checked:
    return Checked(records=items, problems=[], total=len(items) + already, already=already)


def rows(runtime, table: str, *order: str, without: tuple[str, ...] = ()) -> list[dict]:
    """Every row of `table`, ordered, without the columns that differ run to run (ids, times of now)."""
    t = runtime.spec.metadata.tables[table]
    with runtime.engine.connect() as conn:
        found = conn.execute(select(t).order_by(*(t.c[name] for name in order))).mappings().all()
    return [{k: v for k, v in row.items() if k not in without} for row in found]


def part_events(runtime) -> list[dict]:
    t = runtime.spec.metadata.tables["outbox"]
    with runtime.engine.connect() as conn:
        bodies = conn.execute(select(t.c.body).order_by(t.c.id)).scalars().all()
    return [json.loads(body) for body in bodies if json.loads(body)["type"] == "vn.motcua.history.imported"]


def raw(n: int, *, kind: str = "returned", unit: str = UNIT, day: str = "2019-03-15") -> dict:
    """A record of the JSON-lines form (design §1): what a district's export holds for one dossier."""
    received = at(f"{day} 08:30") + timedelta(minutes=n)

    def t(hours: float) -> str:
        return (received + timedelta(hours=hours)).isoformat()

    item = {"code": f"H52.{unit}-{received:%y%m%d}-{n:04d}", "procedure_code": "1.004884", "channel": "counter",
            "receiving_unit": unit, "competent_unit": None,
            "applicant": {"full_name": "Lò Văn Hùng", "id_number": f"0140900{n:05d}", "phone": "0912345678",
                          "email": None, "address": "Bản Hưng Mai"},
            "return_method": "counter", "delivery_address": None,
            "documents": [{"name": "Tờ khai", "copy_type": "original", "count": 1}],
            "received_at": received.isoformat(), "received_by": "Lò Thị Hoa", "due_at": None, "steps": [],
            "supplements": [], "processed_at": None, "result": None, "result_note": None, "returned_at": None,
            "returned_by": None, "withdrawn_at": None, "withdrawal_reason": None}
    if kind in ("returned", "processed"):
        item["steps"] = [{"unit": unit, "agency": None, "action": "process", "assigned_at": t(1), "due_at": None,
                          "completed_at": t(50), "outcome": "approved", "handled_by": "Cầm Văn Pọm", "note": None}]
        item.update(processed_at=t(50), result="approved")
        if kind == "returned":
            item.update(returned_at=t(74), returned_by="counter")
    if kind == "in_progress":
        item["steps"] = [{"unit": unit, "agency": None, "action": "process", "assigned_at": t(1), "due_at": None,
                          "completed_at": None, "outcome": None, "handled_by": None, "note": None}]
    return item


def jsonl(items: list[dict]) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode("utf-8")
