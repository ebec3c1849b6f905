"""The answer of every endpoint that shows or changes one dossier: its detail with its history."""
from sqlalchemy.orm import Session

from ... import trail, views
from ...app import desk


def dossier_detail(session: Session, dossier: dict) -> dict:
    return views.detail(desk(), dossier, trail.rows(session, dossier["code"]),
                        calendar=desk().calendars.calendar(session))
