"""What the fuzz tests sent and found, kept per service for the session's closing summary."""
from __future__ import annotations

from collections import Counter, defaultdict

REQUESTS: Counter[tuple[str, str]] = Counter()  # (service, "positive"|"negative"|"coverage") → requests sent
FAILURES: dict[str, list[str]] = {}  # service → failures found by the last run of its test
STATUSES: defaultdict[str, Counter[int]] = defaultdict(Counter)  # service → status code → answers
