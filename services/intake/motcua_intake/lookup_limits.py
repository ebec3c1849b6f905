"""Rate limits of the public lookup, the one endpoint that answers personal questions without login.

Two fixed-window counters, both in intake's database so that every gunicorn worker and every
container count against the same limit (a counter in process memory would multiply the limit by the
number of processes):

- per client address: every lookup counts, so one client cannot walk through codes;
- per dossier code: lookups that do not find a dossier count, from all clients together, so one
  code's identity number cannot be guessed from many addresses. The counter is taken *before* the
  lookup (an atomic upsert, so concurrent guesses cannot slip past the limit together) and given
  back when the lookup succeeds, so the citizen's own repeated lookups never lock their dossier.

Unknown codes count exactly like wrong numbers, so neither the answer nor the limit tells whether
a code exists. The address is stored only as a keyed hash.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import Engine, and_, delete, literal_column, update

from motcua_shared.db import dialect_insert
from motcua_shared.settings import Settings
from motcua_shared.web.errors import RateLimited

from .models import lookup_counters as counters

TOO_MANY = "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {seconds} giây."


@dataclass
class LookupLimits:
    client_limit: int
    client_window: int
    code_limit: int
    code_window: int
    key: bytes
    clock: Callable[[], float] = time.time
    _next_purge: float = field(default=0.0, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> "LookupLimits":
        return cls(client_limit=settings.intake_lookup_client_limit,
                   client_window=max(1, settings.intake_lookup_client_window_seconds),
                   code_limit=settings.intake_lookup_code_failure_limit,
                   code_window=max(1, settings.intake_lookup_code_window_seconds),
                   key=settings.intake_id_hash_key.encode())

    def client_key(self, address: str | None) -> str:
        """IPv6 by /64, the block one subscriber line gets; hashed so no address is stored."""
        try:
            ip = ipaddress.ip_address(address or "")
            network = ipaddress.ip_network(f"{ip}/64", strict=False) if ip.version == 6 else ip
            text = str(network)
        except ValueError:
            text = address or "unknown"
        return "client:" + hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()[:40]

    def admit(self, engine: Engine, address: str | None, code: str) -> None:
        """Count this lookup; RateLimited when the client or the code is over its limit."""
        now, retry = self.clock(), 0
        with engine.begin() as conn:  # committed even when refused: a refused attempt still counts
            self._purge(conn, now)
            if self.client_limit > 0:
                start, wait = self._window(now, self.client_window)
                if self._increment(conn, self.client_key(address), start) > self.client_limit:
                    retry = wait
            if not retry and self.code_limit > 0:
                start, wait = self._window(now, self.code_window)
                if self._increment(conn, _code_key(code), start) > self.code_limit:
                    retry = wait
        if retry:
            raise RateLimited(retry, TOO_MANY.format(seconds=retry))

    def found(self, engine: Engine, code: str) -> None:
        """The lookup matched: give back the code's count taken by admit()."""
        if self.code_limit <= 0:
            return
        start, _ = self._window(self.clock(), self.code_window)
        with engine.begin() as conn:
            conn.execute(update(counters).where(and_(counters.c.key == _code_key(code),
                                                     counters.c.window_start == start, counters.c.count > 0))
                         .values(count=counters.c.count - 1))

    @staticmethod
    def _window(now: float, length: int) -> tuple[datetime, int]:
        start = math.floor(now / length) * length
        return datetime.fromtimestamp(start, timezone.utc), max(1, math.ceil(start + length - now))

    @staticmethod
    def _increment(conn, key: str, start: datetime) -> int:
        stmt = dialect_insert(conn)(counters).values(key=key, window_start=start, count=1).on_conflict_do_update(
            index_elements=["key", "window_start"], set_={"count": counters.c.count + literal_column("1")},
        ).returning(counters.c.count)
        return conn.execute(stmt).scalar_one()

    def _purge(self, conn, now: float) -> None:
        """Windows that ended are dropped, at most once a minute per process (cheap: indexed delete)."""
        if now < self._next_purge:
            return
        self._next_purge = now + 60
        oldest = datetime.fromtimestamp(now - max(self.client_window, self.code_window), timezone.utc)
        conn.execute(delete(counters).where(counters.c.window_start < oldest))


def _code_key(code: str) -> str:
    return "code:" + code.strip().upper()[:60]
