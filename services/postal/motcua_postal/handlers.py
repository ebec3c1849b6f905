"""Events postal acts on (called at most once per event id, inside the consumer's transaction)."""
from datetime import datetime, timezone

from sqlalchemy import insert
from sqlalchemy.orm import Session

from motcua_shared.events import Event
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from .models import dossier_returns


def on_dossier_received(session: Session, event: Event) -> None:
    data = event.data
    session.execute(insert(dossier_returns).values(
        dossier_code=data["code"], channel=data["channel"], return_method=data["return_method"],
        delivery_address=data.get("delivery_address"), recorded_at=datetime.now(timezone.utc)))


HANDLERS = {DOSSIER_RECEIVED: on_dossier_received}
