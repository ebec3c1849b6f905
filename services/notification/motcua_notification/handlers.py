"""Events notification acts on (called at most once per event id, inside the consumer's transaction).

Each citizen-facing event of the catalogue becomes a notice; dossier.submitted and dossier.received
also bring the contact. A dossier brought in from the past (`historical` in its dossier events, kept
on its recipient row for the events of routing and postal that lack it) gets no notice and no
message, whatever the event. Nothing here calls a provider: the messages are written `created` and the
delivery job sends them once this transaction has committed.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session

from motcua_shared.events import Event
from motcua_shared.events.catalogue.reference import REFERENCE_CHANGED
from motcua_shared.reference.store import announcement_handler
from motcua_shared.settings import Settings

from . import contacts, notice_drafts, notices, providers
from .clock import system_clock
from .models import reference_sets
from .options import Options


def handlers(settings: Settings, options: Options) -> dict[str, Callable[[Session, Event], None]]:
    channels = providers.build(settings).channels
    clock = system_clock(options.clock_offset)

    def on_citizen_event(session: Session, event: Event) -> None:
        now = clock()
        draft = notice_drafts.draft(event, options.tz)
        if draft is None:  # e.g. a shipment's `accepted`: nothing the citizen needs to hear
            return
        if event.type in notice_drafts.CONTACT_EVENTS:
            notices.record_contact(session, event.data, as_of=draft.occurred_at, now=now)
            if contacts.entered_by_officer(event):
                contacts.confirm(session, options.secret, event.data["applicant"], dossier_code=draft.dossier_code,
                                 now=now)
        if event.data.get("historical"):
            return  # a dossier brought in from the past: recorded, never told about (issue 17)
        # One read serves both the historical check and the addressing below (nothing in between
        # changes the contact): a round trip less per event.
        contact = notices.read_contact(session, draft.dossier_code)
        if contact is not None and contact.historical:
            return
        notices.record_notice(session, event_id=event.id, event_type=event.type,
                              correlation_id=event.correlationid, draft=draft, now=now)
        if contact is not None:
            notices.address_pending(session, draft.dossier_code, options, channels, now, contact=contact)

    return {**{event_type: on_citizen_event for event_type in notice_drafts.DRAFTERS},
            # The reference set in use (docs/reference-data.md): stored, then used for new notices.
            REFERENCE_CHANGED: announcement_handler(reference_sets)}
