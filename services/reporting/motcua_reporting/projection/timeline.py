"""A lifecycle event as one time-stamped timeline entry: the only part of it reports ever need.

The moments come from the event data (`received_at`, `occurred_at`, `issued_at`), never from the
envelope's `time` or the clock of arrival, so a late or replayed event lands where it happened.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from motcua_shared.events.catalogue import dossier, handover, payment, reschedule, route, stop

from . import times

SUBMITTED = "dossier.submitted"
RECEIVED = "dossier.received"
REFUSED = "dossier.refused"
REDIRECTED = "dossier.redirected"
SUPPLEMENT_REQUESTED = "dossier.supplement_requested"
SUPPLEMENT_RECEIVED = "dossier.supplement_received"
WITHDRAWAL_REQUESTED = "dossier.withdrawal_requested"
WITHDRAWN = "dossier.withdrawn"
PROCESSED = "dossier.processed"
RETURNED = "dossier.returned"
APOLOGY = "apology.issued"
ROUTE_STARTED = "route.started"
ROUTE_HANDED_OVER = "route.handed_over"
PAID = "dossier.paid"
STOPPED = "dossier.stopped"  # the competent agency stopped processing (DVCQG 8, docs/lifecycle.md)
PAYMENT_REQUESTED = "dossier.payment_requested"  # a financial obligation asked for: the clock stands still
RESCHEDULED = "dossier.rescheduled"  # a declared day off moved the appointment (docs/calendar.md)

_PREFIX = "vn.motcua."
# Where each event type keeps the moment it happened.
_MOMENT = {
    dossier.DOSSIER_SUBMITTED: "submitted_at",
    dossier.DOSSIER_RECEIVED: "received_at",
    dossier.DOSSIER_REFUSED: "occurred_at",
    dossier.DOSSIER_REDIRECTED: "occurred_at",
    dossier.DOSSIER_SUPPLEMENT_REQUESTED: "occurred_at",
    dossier.DOSSIER_SUPPLEMENT_RECEIVED: "occurred_at",
    dossier.DOSSIER_WITHDRAWAL_REQUESTED: "occurred_at",
    dossier.DOSSIER_WITHDRAWN: "occurred_at",
    dossier.DOSSIER_PROCESSED: "occurred_at",
    dossier.DOSSIER_RETURNED: "occurred_at",
    route.APOLOGY_ISSUED: "issued_at",
    route.ROUTE_STARTED: "started_at",
    handover.ROUTE_HANDED_OVER: "handed_over_at",
    payment.DOSSIER_PAID: "occurred_at",
    payment.DOSSIER_PAYMENT_REQUESTED: "occurred_at",
    stop.DOSSIER_STOPPED: "occurred_at",
    reschedule.DOSSIER_RESCHEDULED: "occurred_at",
}
# Routing's events name the dossier `dossier_code`; intake's name it `code`.
_ROUTING_TYPES = (route.APOLOGY_ISSUED, route.ROUTE_STARTED, handover.ROUTE_HANDED_OVER)
LIFECYCLE_TYPES = frozenset(_MOMENT)

# What a report groups by. The applicant, the delivery address and the fee stay out.
FACT_FIELDS = ("procedure_code", "procedure_level", "sector", "inter_agency", "channel", "receiving_unit",
               "receiving_unit_path", "competent_unit", "competent_unit_path")


@dataclass(frozen=True)
class Entry:
    event_id: str
    code: str
    kind: str
    occurred_at: datetime
    due_at: datetime | None = None
    paused_from: datetime | None = None
    original_due_at: datetime | None = None
    facts: dict[str, Any] | None = None

    def as_row(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "code": self.code, "kind": self.kind, "occurred_at": self.occurred_at,
                "due_at": self.due_at, "paused_from": self.paused_from, "original_due_at": self.original_due_at,
                "facts": self.facts}

    @classmethod
    def from_row(cls, row) -> "Entry":
        return cls(event_id=row.event_id, code=row.code, kind=row.kind, occurred_at=times.aware(row.occurred_at),
                   due_at=times.aware(row.due_at), paused_from=times.aware(row.paused_from),
                   original_due_at=times.aware(row.original_due_at), facts=row.facts)


def entry_from_event(event_id: str, event_type: str, data: dict[str, Any]) -> Entry | None:
    """The timeline entry of a consumed event, or None for an event outside a dossier's lifecycle."""
    moment = _MOMENT.get(event_type)
    if moment is None:
        return None
    apology = event_type == route.APOLOGY_ISSUED
    if event_type == route.ROUTE_STARTED:
        # The plan's units and levels: where the dossier is decided (projection.dossier._competent).
        facts = {"steps": [{"sequence": step["sequence"], "unit": step["unit"], "unit_path": step["unit_path"],
                            "level": step["level"]} for step in data["steps"]]}
    elif event_type == handover.ROUTE_HANDED_OVER:
        # Which planned positions went to which successor unit (the resolving unit may be among them).
        facts = {"steps": [{"sequence": step["sequence"], "to_unit": step["to_unit"],
                            "to_unit_path": step["to_unit_path"]} for step in data["steps"]]}
    elif event_type == payment.DOSSIER_PAID:
        facts = {"online": data.get("online", 0)}  # DVCQG DuocThanhToanTrucTuyen, for 766 §3.6
    elif event_type in (dossier.DOSSIER_SUBMITTED, dossier.DOSSIER_RECEIVED):
        facts = {name: data.get(name) for name in FACT_FIELDS}
    else:
        facts = None
    return Entry(
        event_id=event_id,
        code=data["dossier_code"] if event_type in _ROUTING_TYPES else data["code"],
        kind=event_type.removeprefix(_PREFIX),
        occurred_at=times.parse(data[moment]),
        due_at=times.parse(data.get("new_due_at" if apology else "due_at")),
        paused_from=times.parse(data.get("paused_from")),
        original_due_at=times.parse(data.get("original_due_at")),
        facts=facts,
    )
