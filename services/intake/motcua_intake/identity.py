"""Citizens' identity numbers: compared through a keyed hash, kept only encrypted, never used as an id.

Every comparison (the public lookup, a citizen asking for their own dossiers) goes through an
HMAC-SHA256 under a key the database does not hold, compared in constant time: a copy of the table
alone cannot be searched for a person's number, and the lookup costs the same whether the code exists
or not. The number itself is needed only where a paper or an officer must show it (Mẫu 01 prints its
last digits; the officer's view of a dossier shows it whole), so it is stored encrypted with AES-GCM
under `INTAKE_ID_ENCRYPTION_KEY`, another key the database does not hold. A citizen's dossiers are
recorded as created by `citizen:<hash>`, never by the number their token carries.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# Compared against when the code names no dossier, so both answers cost one HMAC and one comparison.
_NO_DOSSIER = "0" * 64
CITIZEN_CREATOR = "citizen:"
# Binds every ciphertext to what it holds: a value encrypted for another purpose under the same key
# does not decrypt as an identity number.
_PURPOSE = b"motcua.intake.applicant_id_number"
_VERSION = "v1"


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

    def creator(self, citizen_sub: str) -> str:
        """What a citizen's dossier records as `created_by`: their token's subject (their identity number
        under VNeID) as a keyed hash."""
        return CITIZEN_CREATOR + self.digest(citizen_sub)


def encryption_key(raw: str) -> bytes:
    """A 256-bit key written as URL-safe base64 (`python -m motcua_intake new-id-key` prints one)."""
    try:
        key = base64.urlsafe_b64decode(raw.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError("INTAKE_ID_ENCRYPTION_KEY must be 32 bytes in URL-safe base64") from None
    if len(key) != 32:
        raise ValueError("INTAKE_ID_ENCRYPTION_KEY must be 32 bytes in URL-safe base64")
    return key


def new_encryption_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def _key_id(key: bytes) -> str:
    # Names the key a value was encrypted under, so a rotation can read both old and new values.
    return hashlib.sha256(b"motcua-id-key:" + key).hexdigest()[:8]


class IdentityCipher:
    """AES-256-GCM under the current key; values written under a previous key still decrypt until
    `python -m motcua_intake rehash` has re-encrypted them."""

    def __init__(self, key: str, previous: tuple[str, ...] = ()):
        current = encryption_key(key)
        self._current_id = _key_id(current)
        self._keys = {self._current_id: AESGCM(current)}
        for raw in previous:
            old = encryption_key(raw)
            self._keys.setdefault(_key_id(old), AESGCM(old))

    def encrypt(self, id_number: str) -> str:
        nonce = os.urandom(12)
        sealed = self._keys[self._current_id].encrypt(nonce, id_number.encode("utf-8"), _PURPOSE)
        return f"{_VERSION}.{self._current_id}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, stored: str) -> str:
        try:
            version, key_id, body = stored.split(".", 2)
            aead = self._keys[key_id]
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            if version != _VERSION:
                raise ValueError(version)
            return aead.decrypt(raw[:12], raw[12:], _PURPOSE).decode("utf-8")
        except KeyError:
            raise UnreadableIdentity("encrypted under a key that is neither INTAKE_ID_ENCRYPTION_KEY nor one "
                                     "of INTAKE_ID_PREVIOUS_ENCRYPTION_KEYS") from None
        except (ValueError, InvalidTag, binascii.Error):
            raise UnreadableIdentity("not an identity number this service encrypted") from None

    def is_current(self, stored: str) -> bool:
        return stored.startswith(f"{_VERSION}.{self._current_id}.")


class UnreadableIdentity(ValueError):
    pass
