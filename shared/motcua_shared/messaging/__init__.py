"""Reliable messaging: transactional outbox, confirming relay, idempotent consumer runner."""
from .consumer import ConsumerRunner, PeriodicJob, PermanentError
from .delivery import current_queue
from .outbox import Outbox, OutboxStore
from .relay import OutboxRelay
from .tables import inbox_table, outbox_table

__all__ = ["ConsumerRunner", "PeriodicJob", "PermanentError", "Outbox", "OutboxStore", "OutboxRelay",
           "current_queue", "inbox_table", "outbox_table"]
