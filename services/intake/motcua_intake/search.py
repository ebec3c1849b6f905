"""Listing and searching the dossiers a caller may see: newest first, paged, filtered, with an
accent-insensitive search on the applicant's name and the code."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from motcua_shared.reference import fold
from motcua_shared.workcal import VIETNAM_TZ

from .lifecycle import as_dict
from .models import dossiers


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VIETNAM_TZ).astimezone(timezone.utc)


def filters(query: dict) -> list[ColumnElement[bool]]:
    c = dossiers.c
    conditions = []
    for column, key in ((c.status, "status"), (c.procedure_code, "procedure"), (c.channel, "channel")):
        if query.get(key):
            conditions.append(column == query[key])
    if query.get("unit"):
        dotted = "." + c.receiving_unit_path + "."
        conditions.append(dotted.like(f"%.{query['unit']}.%"))
    if query.get("received_from"):
        conditions.append(c.received_at >= _start_of(query["received_from"]))
    if query.get("received_to"):
        conditions.append(c.received_at < _start_of(query["received_to"] + timedelta(days=1)))
    if query.get("postal_issue") is not None:
        conditions.append(c.postal_issue.isnot(None) if query["postal_issue"] else c.postal_issue.is_(None))
    if query.get("acceptance_overdue") is not None:
        now = datetime.now(timezone.utc)
        conditions.append(and_(c.status == "submitted", c.acceptance_due_at < now) if query["acceptance_overdue"]
                          else or_(c.status != "submitted", c.acceptance_due_at.is_(None), c.acceptance_due_at >= now))
    if query.get("q"):
        pattern = f"%{_like_escaped(fold(query['q']))}%"
        conditions.append(or_(c.applicant_name_folded.like(pattern, escape="\\"),
                              func.lower(c.code).like(pattern, escape="\\")))
    return conditions


def page(session: Session, visible: ColumnElement[bool], query: dict) -> tuple[list[dict], int]:
    where = and_(visible, *filters(query))
    total = session.execute(select(func.count()).select_from(dossiers).where(where)).scalar_one()
    rows = session.execute(
        select(dossiers).where(where)
        .order_by(func.coalesce(dossiers.c.received_at, dossiers.c.submitted_at).desc(), dossiers.c.id.desc())
        .limit(query["page_size"]).offset((query["page"] - 1) * query["page_size"])).mappings()
    return [as_dict(row) for row in rows], total
