"""The correlation id of the work in hand, carried from the HTTP request or the consumed event into
every event published and every log line written after it."""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_event_id: ContextVar[str | None] = ContextVar("event_id", default=None)


def correlation_id() -> str | None:
    return _correlation_id.get()


def causing_event_id() -> str | None:
    return _event_id.get()


def new_correlation_id() -> str:
    return str(uuid.uuid4())


@contextmanager
def bound(*, correlation_id: str | None, event_id: str | None = None) -> Iterator[None]:
    tokens = (_correlation_id.set(correlation_id), _event_id.set(event_id))
    try:
        yield
    finally:
        _correlation_id.reset(tokens[0])
        _event_id.reset(tokens[1])


def bind(correlation_id: str | None) -> None:
    """Bind for the rest of this context (a request); the web layer resets it at teardown."""
    _correlation_id.set(correlation_id)
