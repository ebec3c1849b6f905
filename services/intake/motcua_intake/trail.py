"""A dossier's trail: its history rows, oldest first, as the officer view, the public lookup and the
control log (Mẫu 05) read them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .lifecycle import aware
from .models import history


def rows(session: Session, code: str) -> list[dict]:
    query = select(history).where(history.c.dossier_code == code).order_by(history.c.occurred_at, history.c.id)
    return [{**row, "occurred_at": aware(row["occurred_at"])} for row in session.execute(query).mappings()]


def latest(session: Session, code: str, *actions: str) -> dict | None:
    """The most recent entry of any of `actions`."""
    query = (select(history).where(history.c.dossier_code == code, history.c.action.in_(actions))
             .order_by(history.c.occurred_at.desc(), history.c.id.desc()).limit(1))
    row = session.execute(query).mappings().first()
    return {**row, "occurred_at": aware(row["occurred_at"])} if row else None


def has(session: Session, code: str, action: str, ref: str | None) -> bool:
    query = select(history.c.id).where(history.c.dossier_code == code, history.c.action == action,
                                       history.c.ref == ref).limit(1)
    return session.execute(query).first() is not None
