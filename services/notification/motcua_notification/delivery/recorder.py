"""Group commit of delivery outcomes: the outcomes that arrive together are recorded in one transaction.

Each sender thread hands its message's outcome to `record` and waits until it is written (it sends
that recipient's next message only afterwards, as before). The first waiting thread writes every
outcome queued by then in one transaction; the others find theirs written when they get the writing
turn. Under load the delivery pool's threads finish at about the same time, so one BEGIN/COMMIT (and
one multi-row INSERT of attempts and of outcome events) serves several messages; alone, a message is
written at once, as soon as its outcome is known, exactly as before.

A database that is away is waited for while the claims hold (the provider has the messages: letting a
claim lapse would make the next sender send it again); an outcome whose claim would lapse before the
next try is given up, and its sender logs it, as before. An outcome the database refuses for another
reason is written alone, so it never takes the others of its batch with it.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy.exc import InterfaceError, OperationalError

log = logging.getLogger("motcua.notification.delivery")
RETRY_FIRST, RETRY_MAX = 0.25, 2.0  # seconds between tries to record while the database is away


@dataclass(eq=False)
class Outcome:
    """One message's attempts, waiting to be written; `written` once settled, `error` if given up."""

    message: Any  # dispatcher.Claimed
    attempts: list
    written: bool = False
    error: BaseException | None = None


class Recorder:
    def __init__(self, write: Callable[[list[Outcome]], None], clock: Callable[[], datetime]):
        self._write = write  # writes a batch in one transaction, or raises having written none of it
        self._clock = clock
        self._queued: list[Outcome] = []
        self._queue_lock = threading.Lock()
        self._writing = threading.Lock()  # one writer at a time; it takes everything queued

    def record(self, outcome: Outcome) -> None:
        """Write this outcome (with whatever else is queued); raises what made it be given up."""
        with self._queue_lock:
            self._queued.append(outcome)
        with self._writing:
            # A writer that held the turn before took every outcome queued by then, this one included.
            if not outcome.written:
                self._write_while_held(self._take(), absorb=True)
        if outcome.error is not None:
            raise outcome.error

    def _take(self) -> list[Outcome]:
        with self._queue_lock:
            taken, self._queued = self._queued, []
        return taken

    def _write_while_held(self, batch: list[Outcome], *, absorb: bool) -> None:
        delay = RETRY_FIRST
        while batch:
            try:
                self._write(batch)
            except (OperationalError, InterfaceError) as exc:
                latest_try = self._clock() + timedelta(seconds=delay)
                for outcome in [o for o in batch if latest_try >= o.message.claimed_until]:
                    outcome.error, outcome.written = exc, True
                batch = [o for o in batch if not o.written]
                if not batch:
                    return
                log.warning("delivery_record_retry", extra={"messages": len(batch), "error": type(exc).__name__,
                                                            "delay_s": delay})
                time.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)
                if absorb:  # outcomes that arrived meanwhile wait for the same database: one try for all
                    batch += self._take()
                continue
            except Exception as exc:
                if len(batch) == 1:
                    batch[0].error, batch[0].written = exc, True
                    return
                for outcome in batch:  # find the one the database refuses; the others are written
                    self._write_while_held([outcome], absorb=False)
                return
            for outcome in batch:
                outcome.written = True
            return
