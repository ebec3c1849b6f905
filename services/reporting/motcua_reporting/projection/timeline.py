"""A lifecycle event as one time-stamped timeline entry: the only part of it reports ever need.

The moments come from the event data (`received_at`, `occurred_at`, `issued_at`), never from the
envelope's `time` or the clock of arrival, so a late or replayed event lands where it happened.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from motcua_shared.events.catalogue import dossier, route

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
}
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
    facts = ({name: data.get(name) for name in FACT_FIELDS}
             if event_type in (dossier.DOSSIER_SUBMITTED, dossier.DOSSIER_RECEIVED) else None)
    return Entry(
        event_id=event_id,
        code=data["dossier_code"] if apology else data["code"],
        kind=event_type.removeprefix(_PREFIX),
        occurred_at=times.parse(data[moment]),
        due_at=times.parse(data.get("new_due_at" if apology else "due_at")),
        paused_from=times.parse(data.get("paused_from")),
        original_due_at=times.parse(data.get("original_due_at")),
        facts=facts,
    )
