"""Which fields of each event type hold a citizen's personal data, and the event data without them.

Services that keep events for a purpose other than serving the citizen (reporting keeps every event
it consumes forever, to rebuild its figures) keep only what that purpose needs: Decree 13/2023/NĐ-CP
allows personal data to be processed only as far as the purpose requires. Nobody's name, telephone,
e-mail or address is needed to count dossiers, so they are taken out before an event is stored.

The lists live beside the catalogue so that whoever adds a field decides what it is:
tests/reporting/test_personal_data.py walks every registered schema and fails on a field named like
personal data (name, phone, email, address, id_number, contact, ...) that is in neither list.

A listed field is removed whole (the `applicant` object, not its members one by one), so a member
added to it later is removed with it.
"""
from __future__ import annotations

from typing import Any

from .catalogue.dossier import DOSSIER_RECEIVED, DOSSIER_SUBMITTED
from .catalogue.handover import ROUTE_HANDED_OVER
from .catalogue.history import HISTORY_IMPORTED
from .catalogue.route import STEP_ASSIGNED
from .catalogue.shipment import PICKUP_REQUESTED

# Top-level fields of `data` that are a citizen's personal data, per event type.
PERSONAL: dict[str, frozenset[str]] = {
    DOSSIER_SUBMITTED: frozenset({"applicant", "delivery_address"}),
    DOSSIER_RECEIVED: frozenset({"applicant", "delivery_address"}),
    PICKUP_REQUESTED: frozenset({"pickup", "delivery"}),
}

# Fields named like personal data that name an agency or a procedure, not a person: kept. Paths as the
# test walks them ("steps[].to_agency_name": a member of each item of the list `steps`).
NOT_PERSONAL: dict[str, frozenset[str]] = {
    STEP_ASSIGNED: frozenset({"procedure_name", "agency_name"}),
    ROUTE_HANDED_OVER: frozenset({"steps[].from_agency_name", "steps[].to_agency_name"}),
    HISTORY_IMPORTED: frozenset({"dossiers[].steps[].agency_name"}),
}

# Types whose data holds whole events of other types (a bulk import's part): each inner event's data
# is stripped by its own type's list. The inner `data` is a free dictionary to the schema walker.
EVENTS_INSIDE: dict[str, str] = {HISTORY_IMPORTED: "dossiers[].events[].data"}


def without_personal(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` without the personal fields of `event_type` (the same object when it has none)."""
    if event_type == HISTORY_IMPORTED:
        return _imported_part_without_personal(data)
    personal = PERSONAL.get(event_type)
    if not personal or personal.isdisjoint(data):
        return data
    return {name: value for name, value in data.items() if name not in personal}


def _imported_part_without_personal(part: dict[str, Any]) -> dict[str, Any]:
    dossiers = []
    for dossier in part.get("dossiers", []):
        events = [{**event, "data": without_personal(event.get("type", ""), event.get("data") or {})}
                  for event in dossier.get("events", [])]
        dossiers.append({**dossier, "events": events})
    return {**part, "dossiers": dossiers}
