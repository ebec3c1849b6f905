"""Settings of the intake service beyond the common ones."""
from __future__ import annotations

from datetime import time
from typing import Callable

from motcua_shared.settings import Setting
from motcua_shared.workcal import OfficeHours


def parse_cutoff(raw: str) -> time | None:
    if raw.strip().lower() == "off":
        return None
    hours, _, minutes = raw.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def part_size(raw: str) -> int:
    """1 to 1000 dossiers: a history.imported event holds at most 1000 (its schema's limit)."""
    value = int(raw)
    if not 1 <= value <= 1000:
        raise ValueError("between 1 and 1000")
    return value


def _checked(parse: Callable[[str], object]) -> Callable[[str], str]:
    """Keep the text (readable in the generated reference) but refuse a value that does not parse."""
    def cast(raw: str) -> str:
        parse(raw)
        return raw.strip()
    return cast


SETTINGS = (
    Setting("INTAKE_AGENCY_PREFIX", "H52",
            "Leading part of the agency electronic identifier in dossier codes ({prefix}.{unit}-{yymmdd}-{nnnn}). "
            "H52 for Sơn La is inferred, not confirmed (domain.md §3.3): set the province's real one."),
    Setting("INTAKE_ID_HASH_KEY", "dev-identity-key-change-me-0123456789",
            "Key of the HMAC-SHA256 under which citizens' identity numbers are compared (public lookup, a "
            "citizen's own dossiers). After changing it run `python -m motcua_intake rehash`.", secret=True),
    Setting("INTAKE_OFFICE_HOURS", "07:00-11:30,13:30-17:00",
            "Office periods of a working day (HH:MM-HH:MM, comma-separated); one working day is their sum.",
            _checked(OfficeHours.parse)),
    Setting("INTAKE_RECEPTION_CUTOFF", "15:00",
            "A dossier received at or after this time (HH:MM) counts from the next working day; `off` disables it.",
            _checked(parse_cutoff)),
    Setting("INTAKE_CALENDAR_CACHE_SECONDS", 30.0,
            "How long a process keeps the day-off overrides it read before reading them again; a change made "
            "through the same process is seen at once.", float),
    # The public lookup answers without login: these limits stop a client from enumerating codes or
    # guessing identity numbers (lookup_limits.py). 0 turns a limit off.
    Setting("INTAKE_LOOKUP_CLIENT_LIMIT", 30,
            "Public lookups (API and /tra-cuu form) one client address may make per window; more answer 429.", int),
    Setting("INTAKE_LOOKUP_CLIENT_WINDOW_SECONDS", 60, "Length of the per-client lookup window in seconds.", int),
    Setting("INTAKE_LOOKUP_CODE_FAILURE_LIMIT", 10,
            "Failed lookups (wrong identity number or unknown code) of one dossier code per window, from all "
            "clients together; more answer 429, so no code can be guessed from many addresses.", int),
    Setting("INTAKE_LOOKUP_CODE_WINDOW_SECONDS", 900, "Length of the per-code failure window in seconds.", int),
    Setting("INTAKE_TRUSTED_PROXIES", 0,
            "Reverse proxies in front of the intake API that append to X-Forwarded-For; the client address is "
            "read that many hops from the right. 0: the peer address, the header is ignored.", int),
    # The bulk import of past dossiers (issue 17, imports/).
    Setting("INTAKE_IMPORT_PART_SIZE", 200,
            "Dossiers applied per part of a bulk import: one transaction and one `vn.motcua.history.imported` "
            "event each (1 to 1000).", part_size),
    Setting("INTAKE_IMPORT_MAX_BYTES", 64 * 1024 * 1024,
            "Largest import file accepted by `POST /api/v1/imports` in bytes; a larger one answers 413.", int),
)
