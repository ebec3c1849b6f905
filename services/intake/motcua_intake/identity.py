"""Comparing citizens' identity numbers without handing out an oracle.

The number itself is kept for the printed forms, but every comparison (the public lookup, a citizen
asking for their own dossiers) goes through an HMAC-SHA256 under a key the database does not hold,
compared in constant time. A copy of the table alone cannot be searched for a person's number, and
the lookup costs the same whether the code exists or not.
"""
from __future__ import annotations

import hashlib
import hmac

# Compared against when the code names no dossier, so both answers cost one HMAC and one comparison.
_NO_DOSSIER = "0" * 64


class IdentityHasher:
    def __init__(self, key: str):
        if len(key) < 16:
            raise ValueError("INTAKE_ID_HASH_KEY must be at least 16 characters")
        self._key = key.encode("utf-8")

    def digest(self, id_number: str) -> str:
        return hmac.new(self._key, id_number.encode("utf-8"), hashlib.sha256).hexdigest()

    def matches(self, stored_digest: str | None, id_number: str) -> bool:
        """Constant-time check of `id_number` against a stored digest; a missing dossier never matches."""
        candidate = self.digest(id_number)
        return hmac.compare_digest(stored_digest or _NO_DOSSIER, candidate) and stored_digest is not None
