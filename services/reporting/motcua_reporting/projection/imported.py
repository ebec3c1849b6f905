"""A part of a bulk import (`vn.motcua.history.imported`) as timeline entries.

Each inner event becomes the entry its live twin would: the same id, type and data go through the
same `entry_from_event`, so a dossier imported and then continued live (its later events arriving one
by one) ends with the row it would have had if all of it had been live. Types outside a dossier's
lifecycle (`dossier.transferred`) give no entry, as live. The part was validated whole against the
catalogue when the consumer parsed it; its inner `data` is the JSON a live event of that type carries
(loading it again per event would cost a fifth of a millisecond each, most of an import's time here).
"""
from __future__ import annotations

import uuid
from typing import Any

from .timeline import Entry, entry_from_event


def entries(part: dict[str, Any]) -> list[Entry]:
    found = []
    for imported in part["dossiers"]:
        for event in imported["events"]:
            # The id as a consumer writes a live event's (lower-case, hyphenated), whatever its spelling.
            entry = entry_from_event(str(uuid.UUID(str(event["id"]))), event["type"], event["data"])
            if entry is not None:
                found.append(entry)
    return found
