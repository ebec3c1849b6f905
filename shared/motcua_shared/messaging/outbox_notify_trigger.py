"""The migration every service's outbox went through (issue 18): each insert wakes the relay.

A statement-level AFTER INSERT trigger runs `pg_notify(<channel>, '')` with the service's own channel
(its one argument), so the relay, LISTENing on that channel (outbox_wakeup.py), publishes at once
instead of polling every 50 ms. Statement-level: a multi-row INSERT (an import part's hundreds of
events) notifies once, and PostgreSQL folds identical notifications of one transaction into one.
The notification is delivered only when the transaction commits, after its rows are visible.

SQLite has no NOTIFY: there both functions do nothing and its relay keeps polling.

Each service's migration (intake 0015, notification 0009, postal 0008, reporting 0010, routing 0010)
calls these with its channel, `motcua_outbox_<service>`. Migrations replay this code for years: it is
frozen. A later change to the outbox gets a module of its own.
"""
from __future__ import annotations

import re

from alembic import op

_CHANNEL = re.compile(r"[a-z_][a-z0-9_]{0,62}")  # written into the DDL literally: a plain identifier only


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade(channel: str) -> None:
    if not _CHANNEL.fullmatch(channel):
        raise ValueError(f"not a plain channel name: {channel!r}")
    if not _on_postgresql():
        return
    # RETURN NULL: the result of an AFTER STATEMENT trigger is ignored. The channel is the trigger's
    # argument, so the relay reads it from the catalogue and never has to agree with us on a name.
    op.execute("CREATE FUNCTION motcua_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$\n"
               "BEGIN\n"
               "    PERFORM pg_notify(TG_ARGV[0], '');\n"
               "    RETURN NULL;\n"
               "END\n"
               "$$")
    op.execute("CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT "
               f"EXECUTE FUNCTION motcua_outbox_notify('{channel}')")


def downgrade() -> None:
    if not _on_postgresql():
        return
    op.execute("DROP TRIGGER IF EXISTS outbox_notify ON outbox")
    op.execute("DROP FUNCTION IF EXISTS motcua_outbox_notify()")
