"""The console's app factory: settings and database, the officer's session and CSRF token on every
request, deny-by-default page access, security headers, error pages, and the area blueprints."""
from __future__ import annotations

import time
from pathlib import Path

import httpx
from flask import Flask, g, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from motcua_shared import context as log_context
from motcua_shared import tracing
from motcua_shared.service import Runtime
from motcua_shared.settings import Settings
from motcua_shared.web import security_headers
from motcua_shared.web.metrics import observe_request

from . import formatting, permissions
from .auth import csrf, sessions
from .auth.tokens import TokenMinter
from .clients import ApiError, Conflict, Forbidden, NotFound, RateLimited, Unauthorized, Unavailable
from .clients.base import make_pools
from .forms import problem_message
from .reference import IntakeFollower
from .service import SPEC
from .units import unit_name
from .web import blueprints

# The one form that carries a file: the administrator's import of past dossiers, far larger than any other
# request may be (CONSOLE_IMPORT_MAX_BYTES, plus room for the form's other fields).
UPLOAD_ENDPOINTS = frozenset({"admin.imports"})
UPLOAD_FORM_ROOM = 64 * 1024
ROLE_NAMES = {"receptionist": "Cán bộ tiếp nhận", "specialist": "Chuyên viên", "leader": "Lãnh đạo",
              "auditor": "Thanh tra, kiểm tra", "admin": "Quản trị"}


def create_app(settings: Settings | None = None, transports: dict[str, httpx.BaseTransport] | None = None) -> Flask:
    runtime = Runtime(SPEC, settings)
    settings = runtime.settings
    app = Flask("motcua_console", template_folder=str(Path(__file__).parent / "templates"),
                static_folder=str(Path(__file__).parent / "static"))
    # Off unless OTEL_* asks (docs/tracing.md); hooked first, so the request's span encloses the rest.
    if tracing.configure("motcua-console", SPEC.version):
        tracing.instrument_flask(app)
    app.config.update(
        SECRET_KEY=settings.console_secret_key,  # signs only the one-time banners cookie
        SESSION_COOKIE_NAME="motcua_console_banner",
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.console_secure_cookies,
        MAX_CONTENT_LENGTH=settings.max_content_length,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.extensions["console"] = runtime
    app.extensions["console_tokens"] = TokenMinter(settings)
    app.extensions["console_pools"] = make_pools(settings, transports)
    app.extensions["console_reference"] = IntakeFollower(settings.motcua_reference_refresh_seconds)
    app.jinja_env.filters.update(formatting.FILTERS)
    app.jinja_env.filters["unit_name"] = unit_name
    app.jinja_env.filters["role_name"] = lambda role: ROLE_NAMES.get(role, role)
    app.jinja_env.globals.update(role_names=ROLE_NAMES, unit_name=unit_name, csrf_token=_csrf_token,
                                 officer=lambda: g.get("console_session") and g.console_session.account)
    app.jinja_env.globals.update(
        nav_items=lambda account: permissions.nav_items(app, account, request.endpoint),
        config_idle_minutes=lambda: settings.console_session_idle_minutes)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True

    if settings.console_proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings.console_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    for bp in blueprints():
        app.register_blueprint(bp)
    app.view_functions["static"] = permissions.public(app.view_functions["static"])

    app.before_request(_begin)
    app.before_request(_follow_reference)  # only reached when _begin let the request through
    app.after_request(_finish)
    app.teardown_request(lambda _exc: log_context.bind(None))
    _register_errors(app)
    return app


def _csrf_token() -> str:
    """The token for this page's forms; an anonymous visitor gets a pre-session binding cookie."""
    session = g.get("console_session")
    if session:
        binding = session.id_hash
    else:
        binding = request.cookies.get(csrf.PRE_SESSION_COOKIE) or g.get("new_presession")
        if not binding or len(binding) > 64:
            binding = g.new_presession = csrf.new_binding()
    return csrf.token_for(_runtime().settings.console_secret_key, binding)


def _runtime() -> Runtime:
    from flask import current_app

    return current_app.extensions["console"]


def _begin():
    g.started = time.perf_counter()
    log_context.bind(log_context.new_correlation_id())
    runtime = _runtime()
    g.console_session = None
    g.session_expired = False
    try:
        g.console_session = sessions.load(runtime, request.cookies.get(sessions.COOKIE))
    except sessions.Expired:
        g.session_expired = True
    # The session is known before the body is read: only an administrator's upload may be large.
    g.upload_too_large = _upload_too_large(runtime)
    values = [request.path, *request.args.values(), *request.form.values()] \
        if request.method == "POST" and not g.upload_too_large else [request.path, *request.args.values()]
    if any("\x00" in value for value in values):
        return render_template("errors/bad_request.html"), 400

    if request.method == "POST" and not g.upload_too_large and not _csrf_ok(runtime):
        # Refused before anything runs, so nothing changes. When the cause is an ended session, say so
        # and offer to sign in again with what was typed carried along.
        if g.session_expired or (request.cookies.get(sessions.COOKIE) and not g.console_session):
            return render_template("errors/session_expired.html", carried=_carried(), next_path=request.path), 403
        return render_template("errors/csrf.html"), 400

    view = runtime and _view()
    access = permissions.access_of(view)
    if request.endpoint is None or access == permissions.PUBLIC:
        return None
    if access is None:  # an endpoint that declares nothing is closed, whatever it is
        return render_template("errors/forbidden.html"), 403
    session = g.console_session
    if session is None:
        from .web.context import banner

        if g.session_expired:
            banner("Phiên làm việc đã hết hạn do lâu không thao tác. Vui lòng đăng nhập lại.", "info")
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")), 303)
    if session.account.must_change_password and request.endpoint not in ("auth.change_password", "auth.sign_out"):
        return redirect(url_for("auth.change_password"), 303)
    if access != permissions.SIGNED_IN and not session.account.has(*access):
        return render_template("errors/forbidden.html"), 403
    return None


def _follow_reference():
    """The reference set intake computes with, checked at most every MOTCUA_REFERENCE_REFRESH_SECONDS
    (motcua_console.reference). Only on a signed-in officer's page: the question needs their token."""
    from flask import current_app

    from .web.context import backends

    if g.console_session is not None and request.endpoint not in (None, "static"):
        current_app.extensions["console_reference"](backends().intake)


def _upload_too_large(runtime) -> bool:
    """For an administrator's upload of past dossiers: raise the body limit to the import's, and say whether
    the file announced is beyond it. Such a file is not read at all: the page says so beside the field and
    changes nothing, so the unread form's CSRF token is not needed to refuse it. Anyone else's large body
    stays refused at the ordinary limit (MAX_CONTENT_LENGTH) before it is spooled anywhere."""
    session = g.console_session
    if request.endpoint not in UPLOAD_ENDPOINTS or request.method != "POST" or not (
            session and session.account.has("admin")):
        return False
    limit = runtime.settings.console_import_max_bytes
    request.max_content_length = limit + UPLOAD_FORM_ROOM  # what is actually read, when the length is not told
    g.upload_limit_raised = True
    return (request.content_length or 0) > limit + UPLOAD_FORM_ROOM


def _view():
    from flask import current_app

    return current_app.view_functions.get(request.endpoint) if request.endpoint else None


def _csrf_ok(runtime) -> bool:
    session = g.console_session
    binding = session.id_hash if session else request.cookies.get(csrf.PRE_SESSION_COOKIE)
    return csrf.valid(runtime.settings.console_secret_key, binding, request.form.get("csrf_token"))


def _carried() -> list[tuple[str, str]]:
    """What the officer typed into the refused form, to be carried through a new sign-in (never a
    password, never the old token)."""
    return [(k, v) for k, v in request.form.items(multi=True)
            if k not in ("csrf_token", "password", "current_password", "new_password", "new_password_again")][:200]


def _finish(response):
    runtime = _runtime()
    if g.get("new_presession"):
        response.set_cookie(csrf.PRE_SESSION_COOKIE, g.new_presession, max_age=12 * 3600, httponly=True,
                            samesite="Lax", secure=runtime.settings.console_secure_cookies)
    # Pages load nothing from another host (docs/contracts.md §7): 'self' only, no inline script or style;
    # the same policy as every service's pages (a print view sets its own, narrower one).
    security_headers.apply(response)
    headers = response.headers
    headers.setdefault("X-Robots-Tag", "noindex")
    if request.endpoint != "static":
        # Pages carry citizens' details: never kept by the browser or a proxy.
        headers.setdefault("Cache-Control", "no-store")
    observe_request("console", request, response, time.perf_counter() - g.get("started", time.perf_counter()))
    return response


def _register_errors(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def _not_found(_exc):
        return render_template("errors/not_found.html"), 404

    @app.errorhandler(Forbidden)
    def _forbidden(_exc):
        return render_template("errors/forbidden.html"), 403

    @app.errorhandler(Unauthorized)
    def _unauthorized(_exc):
        # The service refused the console's own token (a key rotated, a clock gone wrong): nothing the
        # officer can fix by retrying; say so plainly.
        return render_template("errors/unavailable.html", detail="Dịch vụ không chấp nhận phiên đăng nhập này. "
                               "Hãy đăng xuất rồi đăng nhập lại; nếu vẫn lỗi, báo quản trị hệ thống."), 503

    @app.errorhandler(RateLimited)
    def _limited(exc):
        return render_template("errors/unavailable.html",
                               detail=f"Thao tác quá nhanh; vui lòng thử lại sau {exc.retry_after} giây."), 429

    @app.errorhandler(Unavailable)
    def _unavailable(exc):
        return render_template("errors/unavailable.html", detail=problem_message(None), service=exc.service), 503

    @app.errorhandler(Conflict)
    def _conflict(exc):
        return render_template("errors/unavailable.html", detail=problem_message(exc.problem)), 409

    @app.errorhandler(ApiError)
    def _other(exc):
        return render_template("errors/unavailable.html", detail=problem_message(exc.problem)), 400

    @app.errorhandler(Exception)
    def _unexpected(exc):
        if isinstance(exc, HTTPException):
            return _http(exc)
        app.logger.exception("unexpected error on %s", request.endpoint)
        return render_template("errors/unavailable.html", detail="Đã có lỗi ngoài dự kiến; thao tác có thể chưa "
                               "được thực hiện. Hãy kiểm tra lại rồi thử lại, hoặc báo quản trị hệ thống."), 500

    @app.errorhandler(HTTPException)
    def _http(exc):
        if exc.code == 404:
            return render_template("errors/not_found.html"), 404
        if exc.code == 405:
            return render_template("errors/bad_request.html"), 405
        if exc.code == 413:
            if g.get("upload_limit_raised"):  # an administrator's file, beyond the import's limit
                limit = _runtime().settings.console_import_max_bytes
                return render_template("errors/bad_request.html", detail=(
                    f"Tệp gửi lên lớn hơn giới hạn {formatting.size(limit)}; chưa nhập hồ sơ nào. "
                    "Hãy chia tệp thành nhiều tệp nhỏ hơn rồi nhập lần lượt."),
                    back=url_for("admin.imports")), 413
            return render_template("errors/bad_request.html", detail="Dữ liệu gửi lên quá lớn."), 413
        return render_template("errors/bad_request.html"), exc.code or 400

