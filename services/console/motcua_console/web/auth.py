"""Sign-in and sign-out, the first-sign-in password change, the officer's own account page, and the
"carry on" page after signing in again when a session ended in the middle of a form."""
from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from ..auth import accounts, sessions
from ..auth.accounts import AccountError, SignInRefused
from ..forms import Form
from ..permissions import public, signed_in, start_page
from .context import banner, officer, runtime, safe_next

bp = Blueprint("auth", __name__)

WRONG = ("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: nhập sai nhiều lần liên tiếp, tài khoản sẽ tạm "
         "bị khóa trong ít phút.")


@bp.get("/")
@signed_in
def home():
    return redirect(url_for(start_page(officer())), 303)


@bp.route("/dang-nhap", methods=["GET", "POST"])
@public
def sign_in():
    form = Form.from_request(request.form, labels={"username": "tên đăng nhập", "password": "mật khẩu"})
    next_path = safe_next(request.values.get("next"))
    carried = [(k, v) for k, v in request.form.items(multi=True) if k.startswith("carried.")]
    if request.method == "GET" and g.console_session:
        return redirect(next_path or url_for(start_page(officer())), 303)
    if request.method == "POST":
        username, password = form.get("username"), request.form.get("password", "")
        if not username:
            form.error("username", "Nhập tên đăng nhập.")
        if not password:
            form.error("password", "Nhập mật khẩu.")
        if form.ok:
            try:
                account = accounts.sign_in(runtime(), username, password)
            except SignInRefused:
                form.form_errors.append(WRONG)
            else:
                return _signed_in(account, next_path, carried)
        return render_template("auth/sign_in.html", form=form, next_path=next_path, carried=carried,
                               oidc=_oidc_enabled()), 401
    return render_template("auth/sign_in.html", form=form, next_path=next_path, carried=[], oidc=_oidc_enabled())


def _oidc_enabled() -> bool:
    return bool(current_app.extensions["console"].settings.console_oidc_issuer)


def _signed_in(account, next_path: str | None, carried: list[tuple[str, str]] = ()):
    """Start a fresh session (a new id: nothing from before sign-in carries over) and go on."""
    old = g.get("console_session")
    if old:
        sessions.end(runtime(), old.id_hash)
    raw, id_hash = sessions.start(runtime(), account, request.headers.get("User-Agent", ""))
    g.console_session = sessions.Session(id_hash=id_hash, account=account, created_at=None, last_seen_at=None)
    if carried and next_path:
        # A form refused because the session had ended: give it back filled, for the officer to send.
        response = current_app.make_response(render_template(
            "auth/resume.html", next_path=next_path, carried=[(k[len("carried."):], v) for k, v in carried]))
    else:
        target = (url_for("auth.change_password") if account.must_change_password
                  else next_path or url_for(start_page(account)))
        response = redirect(target, 303)
    settings = runtime().settings
    response.set_cookie(sessions.COOKIE, raw, httponly=True, samesite="Lax", secure=settings.console_secure_cookies,
                        max_age=int(settings.console_session_max_hours * 3600))
    response.delete_cookie("motcua_console_presession")
    return response


@bp.post("/dang-xuat")
@public  # an ended session may still press the button; CSRF was checked before this runs
def sign_out():
    session = g.get("console_session")
    if session:
        sessions.end(runtime(), session.id_hash)
        current_app.extensions["console_tokens"].forget(session.id_hash)
    banner("Bạn đã đăng xuất.", "info")
    response = redirect(url_for("auth.sign_in"), 303)
    response.delete_cookie(sessions.COOKIE)
    return response


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@signed_in
def change_password():
    account = officer()
    form = Form.from_request(request.form, labels={"current_password": "mật khẩu hiện tại",
                                                   "new_password": "mật khẩu mới",
                                                   "new_password_again": "mật khẩu mới (nhập lại)"})
    if request.method == "POST":
        current = request.form.get("current_password", "")
        new, again = request.form.get("new_password", ""), request.form.get("new_password_again", "")
        if account.source != "local":
            form.form_errors.append("Tài khoản đăng nhập qua hệ thống định danh của tỉnh; đổi mật khẩu ở đó.")
        else:
            try:
                accounts.sign_in(runtime(), account.username, current)
            except SignInRefused:
                form.error("current_password", "Mật khẩu hiện tại không đúng.")
            if new != again:
                form.error("new_password_again", "Hai lần nhập mật khẩu mới không khớp.")
            elif new == current:
                form.error("new_password", "Mật khẩu mới phải khác mật khẩu hiện tại.")
            if form.ok:
                try:
                    accounts.set_password(runtime(), account.id, new, must_change=False, actor=account.username,
                                          keep_session=g.console_session.id_hash)
                except AccountError as exc:
                    form.error("new_password", exc.message)
                else:
                    banner("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.")
                    return redirect(url_for(start_page(accounts.get(runtime(), account.id))), 303)
        return render_template("auth/change_password.html", form=form, account=account), 400
    return render_template("auth/change_password.html", form=form, account=account)


@bp.get("/tai-khoan")
@signed_in
def account():
    me = officer()
    return render_template("auth/account.html", account=me, open_sessions=sessions.live(runtime(), me.id),
                           current=g.console_session.id_hash)


@bp.post("/giu-phien")
@signed_in
def keep_alive():
    """The "Tiếp tục làm việc" button of the idle warning: reading the session already renewed it."""
    return "", 204
