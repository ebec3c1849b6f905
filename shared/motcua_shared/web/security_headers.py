"""The headers every response carries, and the Content-Security-Policy of every HTML page.

Pages (intake's printed forms and /tra-cuu, notification's unsubscribe page, reporting's dashboard,
each service's /docs, the officers' console) load nothing from another origin and run no inline
script: scripts, styles, images and fonts come from the service itself ('self'), and the inline
`<style>` blocks of the printed forms are allowed by a nonce drawn for each response
(`{{ csp_nonce() }}` in a template), never by 'unsafe-inline'. No page may be framed (clickjacking)
nor send its address, which can hold a dossier code, to another site.
"""
from __future__ import annotations

import secrets

from flask import Response, g

NOSNIFF = "nosniff"
REFERRER_POLICY = "no-referrer"


def policy(nonce: str | None = None) -> str:
    styles = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return ("default-src 'none'; script-src 'self'; style-src " + styles + "; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def csp_nonce() -> str:
    """This response's nonce for an inline `<style>` block, drawn on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def apply(response: Response) -> Response:
    """Set the headers a view has not set itself (a view may narrow its page's policy further)."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", NOSNIFF)
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", policy(g.get("csp_nonce")))
        headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers that predate it
    return response
