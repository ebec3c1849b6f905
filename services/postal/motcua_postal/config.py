"""Settings of the postal service beyond the common ones, and the view of them the code works with."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from motcua_shared.settings import Setting, Settings


def _retention_days(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("at least 1 day")
    return value


def _desks(raw: str) -> dict[str, dict[str, str | None]]:
    """'{"04222": {"address": "...", "phone": "..."}}' → {unit code: {"address", "phone"}}"""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise ValueError("expected a JSON object keyed by unit code")
    desks = {}
    for code, desk in value.items():
        if not (isinstance(desk, dict) and set(desk) <= {"address", "phone"}
                and all(isinstance(v, str) or v is None for v in desk.values())):
            raise ValueError(f"unit {code}: expected {{\"address\": ..., \"phone\": ...}}")
        desks[str(code)] = {"address": desk.get("address") or None, "phone": desk.get("phone") or None}
    return desks


SETTINGS = (
    Setting("POSTAL_DELIVERY_WORKING_DAYS", 3,
            "Working days the partner has from the pickup request to delivery (deliver_by). Decision 45/2016 sets "
            "no limit; practice quotes 1–2 days in town and 2–3 in outlying communes.", int),
    Setting("POSTAL_PICKUP_ACCEPT_MINUTES", 120.0,
            "Minutes the partner has to accept a pickup before it is announced again.", float),
    Setting("POSTAL_PICKUP_REANNOUNCEMENTS", 3,
            "How many times an unaccepted pickup is announced again before the desk is told (escalation).", int),
    Setting("POSTAL_SWEEP_SECONDS", 60.0,
            "How often the worker looks for unaccepted pickups to announce again or escalate.", float),
    # Personal data is kept only as long as its purpose needs (docs/personal-data.md): an ended shipment's
    # parties, and the contact of a dossier postal is done with, are erased by the worker's sweep after this.
    Setting("POSTAL_CONTACT_RETENTION_DAYS", 180,
            "Days the names, addresses and phones of an ended shipment (delivered, returned, cancelled) are kept, "
            "then erased by the worker; also the citizen's contact kept for a dossier postal is done with. 180 by "
            "default: the six months the Postal Law 2010 (Art. 39) gives for a complaint about a lost or late item "
            "(to be confirmed by the province's legal officer; docs/personal-data.md).", _retention_days),
    Setting("POSTAL_DESKS", {},
            "Address and phone of each unit's one-stop desk, as JSON keyed by unit code, e.g. "
            "{\"04222\": {\"address\": \"Bản Hưng Mai, xã Chiềng Khương\", \"phone\": \"02123876543\"}}. "
            "A unit not listed gets \"Trụ sở UBND <unit>, <district>, <province>\" and no phone.", _desks),
)


@dataclass(frozen=True)
class PostalConfig:
    delivery_working_days: int
    accept_within: timedelta
    reannouncements: int
    sweep_every: float
    desks: dict
    clock_offset: timedelta
    contact_retention: timedelta = timedelta(days=180)

    @classmethod
    def from_settings(cls, settings: Settings) -> "PostalConfig":
        return cls(delivery_working_days=settings.postal_delivery_working_days,
                   accept_within=timedelta(minutes=settings.postal_pickup_accept_minutes),
                   reannouncements=settings.postal_pickup_reannouncements,
                   sweep_every=settings.postal_sweep_seconds, desks=settings.postal_desks,
                   clock_offset=timedelta(seconds=settings.motcua_clock_offset_seconds),
                   contact_retention=timedelta(days=settings.postal_contact_retention_days))

    def now(self) -> datetime:
        """The service's clock: the wall clock plus MOTCUA_CLOCK_OFFSET_SECONDS (a test clock; 0 in production)."""
        return datetime.now(timezone.utc) + self.clock_offset
