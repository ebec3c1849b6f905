"""Events notification acts on (called at most once per event id, inside the consumer's transaction)."""
from datetime import datetime, timezone

from sqlalchemy import insert
from sqlalchemy.orm import Session

from motcua_shared.events import Event
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from .models import recipients


def on_dossier_received(session: Session, event: Event) -> None:
    applicant = event.data["applicant"]
    session.execute(insert(recipients).values(
        dossier_code=event.data["code"], full_name=applicant["full_name"], phone=applicant.get("phone"),
        email=applicant.get("email"), recorded_at=datetime.now(timezone.utc)))


HANDLERS = {DOSSIER_RECEIVED: on_dossier_received}
