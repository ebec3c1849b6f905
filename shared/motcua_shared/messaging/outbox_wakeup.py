"""The relay's LISTEN connection: PostgreSQL tells it when a transaction committed outbox rows.

Each service's outbox notifies its channel on every insert (outbox_notify_trigger.py). The relay
keeps one dedicated connection, outside the engine's pool and in autocommit (a LISTEN takes effect
when its transaction commits, and an open transaction would hold back the notification queue),
registers its socket with the relay's I/O loop, and drains the notifications when it turns readable.

A notification only says "look now": what to publish always comes from the claim. So losing some
(they are lost while this connection is down) delays events, never loses them: the relay's safety
poll finds them.
"""
from __future__ import annotations

import psycopg
from psycopg import pq, sql
from sqlalchemy.engine import Engine

# TCP keepalives find a connection that died without a word (a partition, a host gone) in about a
# minute; the safety poll covers that minute.
_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}


class WakeupLost(Exception):
    """The LISTEN connection is gone: notifications may have been missed and none will come."""


class OutboxWakeup:
    def __init__(self, engine: Engine, *, connect_timeout: int = 5):
        # The engine's own connection arguments (host, user, password, TLS options), so the relay
        # listens on exactly the database it claims from.
        args, kwargs = engine.dialect.create_connect_args(engine.url)
        self._args = args
        self._kwargs = {**kwargs, **_KEEPALIVES, "connect_timeout": connect_timeout, "autocommit": True,
                        "application_name": "motcua relay listen"}
        self._connection: psycopg.Connection | None = None

    @property
    def listening(self) -> bool:
        return self._connection is not None

    def open(self, channel: str) -> int:
        """Connect and LISTEN on `channel`; returns the socket to watch for readability.
        Raises psycopg.Error or OSError when the database cannot be reached."""
        self.close()
        connection = psycopg.connect(*self._args, **self._kwargs)
        try:
            connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection.fileno()

    def drain(self) -> int:
        """Read what the socket holds; returns how many notifications came (0: nothing yet, or other
        traffic such as a parameter change). Raises WakeupLost when the connection is gone."""
        if self._connection is None:
            raise WakeupLost("not listening")
        pgconn = self._connection.pgconn
        try:
            # The low-level calls never block: consume what arrived, then take the parsed notifications.
            pgconn.consume_input()
        except psycopg.Error as exc:  # EOF or a reset: the server ended the session (pg_terminate_backend, restart)
            raise WakeupLost(str(exc)) from exc
        count = 0
        while pgconn.notifies() is not None:
            count += 1
        if pgconn.status != pq.ConnStatus.OK:
            raise WakeupLost("connection status bad")
        return count

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # a connection already broken has nothing left to release
                pass
