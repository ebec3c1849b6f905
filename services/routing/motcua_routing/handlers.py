"""Events routing acts on. Each handler runs inside the consumer's transaction, after the inbox
check, so it is called at most once per event id."""
from datetime import datetime, timezone

from sqlalchemy import insert
from sqlalchemy.orm import Session

from motcua_shared.events import Event
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from .models import dossier_routes


def on_dossier_received(session: Session, event: Event) -> None:
    data = event.data
    session.execute(insert(dossier_routes).values(
        dossier_code=data["code"], procedure_code=data["procedure_code"], competent_unit=data["competent_unit"],
        received_at=datetime.fromisoformat(data["received_at"]), due_at=datetime.fromisoformat(data["due_at"]),
        recorded_at=datetime.now(timezone.utc)))


HANDLERS = {DOSSIER_RECEIVED: on_dossier_received}
