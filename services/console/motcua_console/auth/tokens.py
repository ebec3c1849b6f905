"""The short-lived service tokens the console mints for the signed-in officer (docs/contracts.md §2).

HS256 with MOTCUA_JWT_SECRET by default, so `make run` needs nothing more. For production the console
signs RS256 with its own key (CONSOLE_JWT_PRIVATE_KEY_FILE) and publishes the public half at
/.well-known/jwks.json; the services verify with MOTCUA_JWT_ALGORITHM=RS256 and MOTCUA_JWKS_URL pointing
there, so no service holds a secret that could mint tokens. Tokens never reach the browser.
"""
from __future__ import annotations

import base64
import hashlib
import time
from functools import cached_property

import jwt
from cryptography.hazmat.primitives import serialization

from motcua_shared.web.auth import OFFICER_ROLES, key_id

from .accounts import Account

RENEW_BEFORE = 60  # seconds: a token with less left is minted again rather than sent


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class TokenMinter:
    def __init__(self, settings):
        self.algorithm = settings.motcua_jwt_algorithm
        self.secret = settings.motcua_jwt_secret
        self.audience = settings.motcua_jwt_audience or None
        self.issuer = settings.motcua_jwt_issuer or None
        self.ttl = settings.console_token_seconds
        self.key_file = settings.console_jwt_private_key_file
        self._cache: dict[str, tuple[str, float]] = {}
        if self.algorithm == "RS256" and not self.key_file:
            raise SystemExit("motcua: MOTCUA_JWT_ALGORITHM=RS256 needs CONSOLE_JWT_PRIVATE_KEY_FILE for the console")

    @cached_property
    def _private_key(self):
        with open(self.key_file, "rb") as handle:
            return serialization.load_pem_private_key(handle.read(), password=None)

    @cached_property
    def kid(self) -> str:
        public = self._private_key.public_key().public_bytes(serialization.Encoding.DER,
                                                             serialization.PublicFormat.SubjectPublicKeyInfo)
        return hashlib.sha256(public).hexdigest()[:16]

    def jwks(self) -> dict:
        if self.algorithm != "RS256":
            return {"keys": []}
        numbers = self._private_key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
                          "n": _b64(numbers.n), "e": _b64(numbers.e)}]}

    def token(self, account: Account, session_key: str) -> str:
        """A token for this officer and session, reused until less than a minute of it is left."""
        cached = self._cache.get(session_key)
        if cached and cached[1] - time.time() > RENEW_BEFORE:
            return cached[0]
        expires = int(time.time()) + self.ttl
        claims = {"sub": account.id, "name": account.full_name, "exp": expires, "iat": int(time.time()),
                  "roles": [role for role in account.roles if role in OFFICER_ROLES]}
        if account.unit:
            claims["unit"] = account.unit
        if self.audience:
            claims["aud"] = self.audience
        if self.issuer:
            claims["iss"] = self.issuer
        if self.algorithm == "RS256":
            token = jwt.encode(claims, self._private_key, algorithm="RS256", headers={"kid": self.kid})
        else:
            token = jwt.encode(claims, self.secret, algorithm="HS256", headers={"kid": key_id(self.secret)})
        if len(self._cache) > 10_000:  # sessions come and go: never grow without bound
            self._cache.clear()
        self._cache[session_key] = (token, expires)
        return token

    def forget(self, session_key: str) -> None:
        self._cache.pop(session_key, None)
