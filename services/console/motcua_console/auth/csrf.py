"""CSRF tokens: an HMAC of what the request is bound to, under CONSOLE_SECRET_KEY.

Signed in, the binding is the session (its id hash), so a token dies with the session. Before sign-in
(the sign-in form itself) it is a random value in a short-lived cookie of its own: double submit,
signed, so a cookie planted by a sibling host cannot forge it either.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

PRE_SESSION_COOKIE = "motcua_console_presession"


def token_for(secret: str, binding: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{binding}".encode(), hashlib.sha256).hexdigest()


def valid(secret: str, binding: str | None, submitted: str | None) -> bool:
    if not binding or not submitted or not submitted.isascii():
        return False  # compare_digest refuses non-ASCII str: a 500 otherwise
    return hmac.compare_digest(token_for(secret, binding), submitted)


def new_binding() -> str:
    return secrets.token_urlsafe(24)
