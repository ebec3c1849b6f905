"""The secondary parts of a dossier's page (route, messages, shipments) come from other services; each
fails alone: "no data yet" (404) and "could not load" (unavailable) are said in its own section, and the
page still renders with everything else."""
from __future__ import annotations

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
