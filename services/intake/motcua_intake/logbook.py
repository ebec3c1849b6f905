"""The logbook (Mẫu 06, Sổ theo dõi hồ sơ) of one desk over a period: every dossier it received, in the
order of its logbook numbers, with when it was handed to the processing agency and returned."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from motcua_shared.statuses import VIETNAMESE
from motcua_shared.workcal import VIETNAM_TZ

from . import views
from .desk import Desk
from .forms.render import deciding_agency
from .lifecycle import as_dict, aware
from .models import dossiers, history


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    first = datetime.combine(start, time(0), tzinfo=VIETNAM_TZ)
    after = datetime.combine(end + timedelta(days=1), time(0), tzinfo=VIETNAM_TZ)
    return first.astimezone(timezone.utc), after.astimezone(timezone.utc)


def entries(session: Session, desk: Desk, unit: str, start: date, end: date) -> list[dict]:
    first, after = _bounds(start, end)
    found = [as_dict(row) for row in session.execute(
        select(dossiers).where(and_(dossiers.c.receiving_unit == unit, dossiers.c.received_at >= first,
                                    dossiers.c.received_at < after))
        .order_by(dossiers.c.received_at, dossiers.c.logbook_number)).mappings()]
    transfers = _transfers(session, [d["code"] for d in found])
    rows, now = [], datetime.now(timezone.utc)
    for dossier in found:
        procedure = desk.catalogue.get(dossier["procedure_code"])
        day = dossier["received_at"].astimezone(VIETNAM_TZ).date()
        rows.append({
            "number": dossier["logbook_number"], "code": dossier["code"], "procedure_code": procedure.code,
            "procedure_name": procedure.name, "applicant_name": dossier["applicant_name"],
            "address": dossier["applicant_address"], "phone": dossier["applicant_phone"],
            "agency": deciding_agency(desk, procedure, dossier, day), "received_at": dossier["received_at"],
            "due_at": dossier["due_at"], "transferred_at": transfers.get(dossier["code"]),
            "returned_at": dossier["returned_at"], "status": dossier["status"],
            "status_label": VIETNAMESE[dossier["status"]], "overdue": views.overdue(dossier, now),
        })
    return rows


def _transfers(session: Session, codes: list[str]) -> dict[str, datetime]:
    """When each dossier was handed to the processing agency (the first time, should there be more)."""
    if not codes:
        return {}
    query = (select(history.c.dossier_code, history.c.occurred_at)
             .where(history.c.dossier_code.in_(codes), history.c.action == "transfer")
             .order_by(history.c.occurred_at.desc()))
    return {code: aware(at) for code, at in session.execute(query)}
