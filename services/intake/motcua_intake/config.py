"""Settings of the intake service beyond the common ones."""
from __future__ import annotations

from motcua_shared.settings import Setting

from .identity import encryption_key


def part_size(raw: str) -> int:
    """1 to 1000 dossiers: a history.imported event holds at most 1000 (its schema's limit)."""
    value = int(raw)
    if not 1 <= value <= 1000:
        raise ValueError("between 1 and 1000")
    return value


def acceptance_hours(raw: str) -> int:
    """1 to 40 working hours (a working week): the desk's time limit for a submission (acceptance.py)."""
    value = int(raw)
    if not 1 <= value <= 40:
        raise ValueError("between 1 and 40 working hours")
    return value


# Development only: derived from a fixed phrase (sha256 of "motcua development identity key"), not random.
DEV_ID_ENCRYPTION_KEY = "pcbhyGyxIU5O6fes9cVpzPFx6c83vb8UJx8qnzeS38M="


def id_encryption_key(raw: str) -> str:
    encryption_key(raw)  # refuse a key that is not 32 bytes of base64 when the process starts
    return raw.strip()


def previous_id_encryption_keys(raw: str) -> tuple[str, ...]:
    return tuple(id_encryption_key(key) for key in raw.split(",") if key.strip())


SETTINGS = (
    Setting("INTAKE_AGENCY_PREFIX", "H52",
            "Leading part of the agency electronic identifier in dossier codes ({prefix}.{unit}-{yymmdd}-{nnnn}). "
            "H52 for Sơn La is inferred, not confirmed (docs/domain.md §3.3): set the province's real one."),
    Setting("INTAKE_ID_HASH_KEY", "dev-identity-key-change-me-0123456789",
            "Key of the HMAC-SHA256 under which citizens' identity numbers are compared (public lookup, a "
            "citizen's own dossiers). After changing it run `python -m motcua_intake rehash`.", secret=True),
    # Identity numbers are stored only encrypted (identity.py): the printed receipt and the officer's view
    # decrypt them; nothing compares them.
    Setting("INTAKE_ID_ENCRYPTION_KEY", DEV_ID_ENCRYPTION_KEY,
            "AES-256-GCM key (32 bytes, URL-safe base64) under which citizens' identity numbers are stored; print "
            "a new one with `python -m motcua_intake new-id-key`. To rotate it, move the old key to "
            "INTAKE_ID_PREVIOUS_ENCRYPTION_KEYS, then run `python -m motcua_intake rehash`.",
            id_encryption_key, secret=True),
    Setting("INTAKE_ID_PREVIOUS_ENCRYPTION_KEYS", (),
            "Comma-separated former INTAKE_ID_ENCRYPTION_KEY values, still read until `python -m motcua_intake "
            "rehash` has re-encrypted every number under the current key.", previous_id_encryption_keys,
            secret=True),
    # Office hours and the reception cut-off are the province's (MOTCUA_OFFICE_HOURS, MOTCUA_RECEPTION_CUTOFF
    # in motcua_shared.settings): every service computes with them.
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
    # A citizen's token submits without an officer in the loop (citizen_limits.py).
    Setting("INTAKE_CITIZEN_DAILY_LIMIT", 20,
            "Dossiers one citizen account may submit (online or by post) per day, Vietnam time; more answer 429 "
            "`rate_limited` with Retry-After until midnight. Officers are not limited. 0 turns the limit off.", int),
    # The lifecycle (issue 14, acceptance.py): the desk's limit for a dossier submitted online or by post.
    Setting("INTAKE_ACCEPTANCE_LIMIT_HOURS", 8,
            "Working hours the desk has to accept or refuse a dossier submitted online or by post, counted from "
            "its online submission, or from the post's delivery of its papers (office hours and days off "
            "skipped); past it the dossier is flagged overdue in the queue and by the worker's sweep, never "
            "accepted automatically. 1 to 40.", acceptance_hours),
    # The bulk import of past dossiers (issue 17, imports/).
    Setting("INTAKE_IMPORT_PART_SIZE", 200,
            "Dossiers applied per part of a bulk import: one transaction and one `vn.motcua.history.imported` "
            "event each (1 to 1000).", part_size),
    Setting("INTAKE_IMPORT_MAX_BYTES", 64 * 1024 * 1024,
            "Largest import file accepted by `POST /api/v1/imports` in bytes; a larger one answers 413.", int),
)
