"""What the consumer tells a handler about the delivery in hand beyond the event itself: the queue it
came from.

Handlers take (session, event) and most never need more. A few must know where an event arrived
because the same type means something different on different queues: routing accepts a step's
answer only on the queue the step was dispatched through (a province that can write answers must not
answer a step a commune's officer holds). The queue is bound for the duration of the handler call;
outside a consumer (a handler called directly, a test) it is None.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

_queue: ContextVar[str | None] = ContextVar("consumed_queue", default=None)


def current_queue() -> str | None:
    """The queue the event being handled was delivered from; None outside a consumer."""
    return _queue.get()


@contextmanager
def consuming_from(queue: str) -> Iterator[None]:
    token = _queue.set(queue)
    try:
        yield
    finally:
        _queue.reset(token)
