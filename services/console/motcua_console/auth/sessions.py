"""Server-side sessions: a random 256-bit id in an HttpOnly cookie, the row keyed by its SHA-256.

Idle and absolute limits are enforced when the session is read (CONSOLE_SESSION_IDLE_MINUTES,
CONSOLE_SESSION_MAX_HOURS); `last_seen_at` is written at most once a minute so reading pages does not
turn into a write per request. Disabling an account, changing its rights or password ends its sessions.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update

from ..models import accounts, sessions
from .accounts import Account
from .clock import aware, now

COOKIE = "motcua_console_session"
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Session:
    id_hash: str
    account: Account
    created_at: datetime
    last_seen_at: datetime


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def start(runtime, account: Account, user_agent: str = "") -> tuple[str, str]:
    """A new session for `account`: (the cookie value, its hash). A new id at every sign-in, so an id
    planted before sign-in (session fixation) is worth nothing after it."""
    raw = secrets.token_urlsafe(32)
    moment = now()
    with runtime.engine.begin() as conn:
        conn.execute(insert(sessions).values(id_hash=_hash(raw), account_id=account.id, created_at=moment,
                                             last_seen_at=moment, user_agent=(user_agent or "")[:200]))
    return raw, _hash(raw)


class Expired(Exception):
    """The cookie named a session that has ended by time (not one that never existed)."""


def load(runtime, raw: str | None) -> Session | None:
    """The live session behind a cookie value; None when there is none; Expired when it timed out."""
    if not raw or len(raw) > 100:
        return None
    id_hash = _hash(raw)
    with runtime.engine.connect() as conn:
        row = conn.execute(
            select(sessions.c.id_hash, sessions.c.created_at, sessions.c.last_seen_at, accounts)
            .join(accounts, accounts.c.id == sessions.c.account_id)
            .where(sessions.c.id_hash == id_hash)).first()
    if row is None:
        return None
    settings = runtime.settings
    moment = now()
    created, seen = aware(row.created_at), aware(row.last_seen_at)
    if (not row.active or moment - seen > timedelta(minutes=settings.console_session_idle_minutes)
            or moment - created > timedelta(hours=settings.console_session_max_hours)):
        end(runtime, id_hash)
        raise Expired()
    if moment - seen >= TOUCH_EVERY or settings.console_session_idle_minutes < 2:
        with runtime.engine.begin() as conn:
            conn.execute(update(sessions).where(sessions.c.id_hash == id_hash).values(last_seen_at=moment))
        seen = moment
    return Session(id_hash=id_hash, account=Account.from_row(row), created_at=created, last_seen_at=seen)


def end(runtime, id_hash: str) -> None:
    with runtime.engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.id_hash == id_hash))


def live(runtime, account_id: str | None = None) -> list[dict]:
    """Open sessions (for the administrator's and the officer's own session lists)."""
    query = (select(sessions.c.id_hash, sessions.c.created_at, sessions.c.last_seen_at, sessions.c.user_agent,
                    accounts.c.username, accounts.c.full_name)
             .join(accounts, accounts.c.id == sessions.c.account_id).order_by(sessions.c.last_seen_at.desc()))
    if account_id:
        query = query.where(sessions.c.account_id == account_id)
    with runtime.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
