"""The secondary parts of a dossier's page (route, messages, shipments) come from other services; each
fails alone: "no data yet" (404) and "could not load" (unavailable) are said in its own section, and the
page still renders with everything else."""
from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable

from ...clients import Forbidden, NotFound, RateLimited, Unauthorized, Unavailable


@dataclass(frozen=True)
class Section:
    data: Any = None
    state: str = "ok"  # ok | empty | unavailable | forbidden

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def load(fetch: Callable[[], Any]) -> Section:
    try:
        return Section(fetch())
    except NotFound:
        return Section(state="empty")
    except Forbidden:
        return Section(state="forbidden")
    except (Unavailable, RateLimited, Unauthorized):
        return Section(state="unavailable")


_POOL: ThreadPoolExecutor | None = None


def load_all(**fetches: Callable[[], Any]) -> dict[str, Section]:
    """The sections side by side: the page waits for the slowest service, not for their sum. Each runs in
    a copy of the request's context, so the correlation id still goes out with every call."""
    global _POOL
    if _POOL is None:  # made in the serving process (gunicorn forks before the app is built)
        _POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="console-sections")
    futures = {name: _POOL.submit(contextvars.copy_context().run, load, fetch) for name, fetch in fetches.items()}
    return {name: future.result() for name, future in futures.items()}
