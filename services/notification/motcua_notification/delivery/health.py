"""Which provider to try first: a provider that keeps failing goes to the back of the line.

After `threshold` temporary failures in a row a provider is tried after the others for `cooldown`
seconds, then first again (GOV.UK Notify lowers a failing SMS provider's priority the same way). It
is never skipped: with one gateway, or all of them down, every provider is still tried.
"""
from __future__ import annotations

import threading
import time
from typing import Sequence

from ..providers import TEMPORARY, Outcome, Provider


class ProviderHealth:
    def __init__(self, *, threshold: int, cooldown: float, clock=time.monotonic):
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self._failures: dict[str, int] = {}
        self._demoted_until: dict[str, float] = {}
        self._lock = threading.Lock()  # sending threads report concurrently

    def order(self, providers: Sequence[Provider]) -> list[Provider]:
        now = self.clock()
        with self._lock:
            demoted = {name for name, until in self._demoted_until.items() if until > now}
        return sorted(providers, key=lambda p: p.name in demoted)  # stable: configured order otherwise

    def record(self, provider: Provider, outcome: Outcome) -> None:
        with self._lock:
            if outcome.result != TEMPORARY:
                self._failures[provider.name] = 0
                return
            failures = self._failures.get(provider.name, 0) + 1
            self._failures[provider.name] = failures
            if failures >= self.threshold:
                self._demoted_until[provider.name] = self.clock() + self.cooldown
