"""Where postal's events go: pickups and cancellations to the partner's queue, the rest to postal.events.

Every publish is an outbox row in the caller's transaction (the state change and its event commit
together or not at all).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from motcua_shared.broker.catalogue import POSTAL_PICKUPS, events_exchange
from motcua_shared.events import new_event
from motcua_shared.messaging import Outbox

from .models import outbox as outbox_table

SOURCE = "/motcua/postal"
PICKUP_ROUTING_KEY = "pickup"  # binds exchange postal.pickups to the partner's queue postal.pickups

_outbox = Outbox(outbox_table, exchange=events_exchange("postal"))


def to_desks(session: Session, event_type: str, data: dict, *, subject: str) -> None:
    """A domain event on postal.events (intake, notification and reporting listen)."""
    _outbox.add(session, new_event(event_type, source=SOURCE, data=data, subject=subject))


def to_partner(session: Session, event_type: str, data: dict, *, subject: str) -> None:
    """A pickup request or cancellation on the partner's queue (docs/contracts.md §4.2)."""
    _outbox.add(session, new_event(event_type, source=SOURCE, data=data, subject=subject),
                exchange=POSTAL_PICKUPS, routing_key=PICKUP_ROUTING_KEY)
