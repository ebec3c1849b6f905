"""Reliable messaging: transactional outbox, confirming relay, idempotent consumer runner."""
from .consumer import ConsumerRunner, PeriodicJob, PermanentError
from .outbox import Outbox, OutboxStore
from .relay import OutboxRelay
from .tables import inbox_table, outbox_table

__all__ = ["ConsumerRunner", "PeriodicJob", "PermanentError", "Outbox", "OutboxStore", "OutboxRelay",
           "inbox_table", "outbox_table"]
