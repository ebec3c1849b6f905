"""What a page handler reads about the request: the officer, their session, the services' clients."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, g

from ..clients import Backends


def runtime():
    return current_app.extensions["console"]


def officer():
    """The signed-in account, or None."""
    session = g.get("console_session")
    return session.account if session else None


def backends() -> Backends:
    """The five services' clients, carrying this officer's token (minted on first use in a request)."""
    if "backends" not in g:
        session = g.console_session
        minter = current_app.extensions["console_tokens"]
        g.backends = Backends(current_app.extensions["console_pools"],
                              lambda: minter.token(session.account, session.id_hash))
    return g.backends


def banner(message: str, kind: str = "success") -> None:
    """A message shown once at the top of the next page (after a redirect)."""
    flash(message, kind)


def safe_next(target: str | None) -> str | None:
    """A `next` address only if it stays on this site: a path, never another host or scheme."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None
