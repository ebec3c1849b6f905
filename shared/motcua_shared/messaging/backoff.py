"""Exponential back-off with full jitter, for reconnecting to the broker and the database."""
from __future__ import annotations

import random


class Backoff:
    def __init__(self, *, initial: float = 0.2, maximum: float = 30.0, factor: float = 2.0):
        self.initial, self.maximum, self.factor = initial, maximum, factor
        self.attempt = 0

    def next(self) -> float:
        ceiling = min(self.maximum, self.initial * self.factor ** self.attempt)
        self.attempt += 1
        # Full jitter keeps five services from reconnecting in lock-step after a broker restart.
        return random.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.attempt = 0
