"""Comparing secrets (signatures, tokens) in constant time, whatever the caller sent.

`hmac.compare_digest` raises TypeError when a str argument holds anything but ASCII, so a forged
token or header with one accented letter would answer 500 instead of "invalid". Comparing the UTF-8
bytes instead keeps the constant time and answers False: a genuine value is always ASCII.
"""
from __future__ import annotations

import hmac


def _bytes(value: str | bytes) -> bytes:
    # surrogatepass: a lone surrogate (which a decoded query string may carry) still becomes bytes.
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def equal(expected: str | bytes, given: str | bytes) -> bool:
    """Whether `given` is exactly `expected`, in time independent of where they differ."""
    return hmac.compare_digest(_bytes(expected), _bytes(given))
