"""Single sign-on through the province's OpenID Connect provider (authorization code flow with PKCE
S256 and a nonce). Both pages answer 404 while CONSOLE_OIDC_ISSUER is empty.

Authlib keeps the state, nonce, PKCE verifier and redirect URI of a sign-in in progress in Flask's
`session`. The console's login state does not live there (sessions are random ids held in the console's
own database); Flask's session is only the banners cookie, signed with CONSOLE_SECRET_KEY, HttpOnly and
SameSite=Lax. Holding these values in it is acceptable: they are signed (not forgeable), good for one
callback only (authlib removes them when it is used) and expire after an hour. The PKCE verifier is
readable by the browser that started the sign-in, which is the party PKCE binds the code to anyway.
"""
from __future__ import annotations

import logging
import secrets

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, render_template, request, session, url_for
from joserfc.errors import JoseError

from ..auth import accounts
from ..auth import oidc as mapping
from ..auth.accounts import AccountError, SignInRefused
from ..permissions import public
from .auth import _signed_in
from .context import runtime, safe_next

bp = Blueprint("oidc", __name__)
log = logging.getLogger(__name__)

NEXT_KEY = "oidc_next"  # state -> the page to go on to, in Flask's session beside authlib's own data
PROVIDER_TIMEOUT = 10  # seconds for each call to the provider (discovery, JWKS, token, userinfo)

UNAVAILABLE = ("Không kết nối được hệ thống định danh của tỉnh. Vui lòng thử lại sau hoặc đăng nhập bằng tài khoản "
               "của phần mềm.")
FAILED = ("Không hoàn tất được đăng nhập qua hệ thống định danh của tỉnh (phiên đăng nhập không hợp lệ hoặc "
          "đã hết hạn). Vui lòng đăng nhập lại từ đầu.")
NO_ROLE = ("Tài khoản định danh của bạn chưa được giao vai trò nào trong phần mềm một cửa (cán bộ tiếp nhận, "
           "chuyên viên, lãnh đạo, thanh tra hoặc quản trị). Hãy đề nghị quản trị hệ thống định danh của tỉnh "
           "cấp vai trò, rồi đăng nhập lại.")
DISABLED = "Tài khoản của bạn trong phần mềm một cửa đã bị khóa. Hãy liên hệ quản trị hệ thống."


def _client():
    """The provider's client for this app, made on first use (the issuer is read from the settings)."""
    settings = runtime().settings
    if not settings.console_oidc_issuer:
        abort(404)
    app = current_app._get_current_object()
    client = app.extensions.get("console_oidc")
    if client is None:
        registry = OAuth(app)
        client = registry.register(
            "province",
            client_id=settings.console_oidc_client_id,
            client_secret=settings.console_oidc_client_secret,
            server_metadata_url=settings.console_oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": settings.console_oidc_scopes, "code_challenge_method": "S256",
                           "default_timeout": PROVIDER_TIMEOUT})
        app.extensions["console_oidc"] = client
    return client


def _forget_abandoned_sign_ins(keep: int = 3) -> None:
    """Authlib keeps each started sign-in (about 700 bytes) until its callback or an hour; an officer
    pressing the button again and again must not grow the cookie past what a browser keeps (4 kB)."""
    started = sorted((value.get("exp", 0), key) for key, value in session.items()
                     if key.startswith("_state_province_") and isinstance(value, dict))
    for _, key in started[:max(0, len(started) - keep)]:
        session.pop(key, None)


def _refused(message: str, status: int = 403):
    return render_template("oidc/refused.html", message=message), status


@bp.get("/dang-nhap/oidc")
@public
def start():
    client = _client()
    _forget_abandoned_sign_ins()
    state = secrets.token_urlsafe(24)
    try:
        response = client.authorize_redirect(url_for("oidc.callback", _external=True), state=state)
    except (requests.RequestException, ValueError, KeyError, RuntimeError):
        log.warning("the OpenID provider's discovery document could not be read", exc_info=True)
        return _refused(UNAVAILABLE, 503)
    next_path = safe_next(request.args.get("next"))
    if next_path:
        pending = dict(session.get(NEXT_KEY) or {})
        while len(pending) >= 3:  # as many as authlib's started sign-ins kept above
            pending.pop(next(iter(pending)))
        pending[state] = next_path
        session[NEXT_KEY] = pending
    return response


@bp.get("/dang-nhap/oidc/ve")
@public
def callback():
    client = _client()
    state = request.args.get("state", "")
    if NEXT_KEY in session:
        pending = dict(session[NEXT_KEY])
        next_path = safe_next(pending.pop(state, None))
        session[NEXT_KEY] = pending
    else:
        next_path = None
    try:
        # Checks the state against this browser's, exchanges the code with the PKCE verifier, and
        # validates the ID token: signature by the provider's JWKS, issuer, audience, expiry, nonce.
        token = client.authorize_access_token()
        id_token = token.get("userinfo")
        if not id_token or not id_token.get("sub"):
            raise AuthlibBaseError(description="no ID token")
        userinfo = None
        settings = runtime().settings
        wanted = (settings.console_oidc_roles_claim, settings.console_oidc_unit_claim,
                  settings.console_oidc_name_claim)
        if any(mapping.claim(id_token, name) is None for name in wanted) and \
                client.load_server_metadata().get("userinfo_endpoint"):
            userinfo = dict(client.userinfo(token=token))
    except requests.RequestException:
        log.warning("the OpenID provider could not be reached", exc_info=True)
        return _refused(UNAVAILABLE, 503)
    except (AuthlibBaseError, JoseError, ValueError) as exc:
        # A forged or replayed callback, an aborted sign-in at the provider, a token that fails checks.
        log.info("OpenID sign-in refused: %s", type(exc).__name__)
        return _refused(FAILED)

    officer = mapping.profile(runtime().settings, dict(id_token), userinfo)
    if not officer.roles:
        return _refused(NO_ROLE)
    try:
        account = accounts.upsert_oidc(runtime(), subject=officer.subject, full_name=officer.full_name,
                                       roles=officer.roles, unit=officer.unit)
    except AccountError as exc:
        return _refused(f"Không đăng nhập được: {exc.message} Hãy đề nghị quản trị hệ thống định danh của tỉnh "
                        "kiểm tra thông tin đơn vị của bạn.")
    except SignInRefused:
        return _refused(DISABLED)
    return _signed_in(account, next_path)
