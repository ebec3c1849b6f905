"""/quan-tri/tai-khoan: officer accounts. Every rule about a valid account lives in auth/accounts.py;
these pages only collect what the administrator typed and put its refusal beside the field."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for

from ...app import ROLE_NAMES
from ...auth import accounts
from ...auth.accounts import AccountError
from ...forms import Form
from ...permissions import requires
from ...units import unit_choices
from ..context import banner, officer, runtime
from . import bp

LABELS = {"username": "tên đăng nhập", "full_name": "họ và tên", "unit": "đơn vị", "roles": "vai trò",
          "password": "mật khẩu ban đầu", "new_password": "mật khẩu tạm thời"}


def _choices() -> dict:
    return {"units": unit_choices(), "roles": list(ROLE_NAMES.items())}


@bp.get("/quan-tri/tai-khoan", endpoint="accounts")  # the module `accounts` keeps the plain name
@requires("admin")
def account_list():
    return render_template("admin/accounts.html", accounts=accounts.listing(runtime()))


@bp.route("/quan-tri/tai-khoan/moi", methods=["GET", "POST"])
@requires("admin")
def create_account():
    form = Form.from_request(request.form, labels=LABELS)
    if request.method == "GET":
        return render_template("admin/account_new.html", form=form, **_choices())
    try:
        created = accounts.create(runtime(), username=form.get("username"), full_name=form.get("full_name"),
                                  roles=form.getlist("roles"), unit=form.get("unit") or None,
                                  password=request.form.get("password", ""), must_change_password=True,
                                  actor=officer().username)
    except AccountError as exc:
        form.error(exc.field, exc.message)
        return render_template("admin/account_new.html", form=form, **_choices()), 400
    banner(f"Đã tạo tài khoản {created.username}. Cán bộ phải đổi mật khẩu ở lần đăng nhập đầu tiên.")
    return redirect(url_for("admin.accounts"), 303)


def _account_or_404(account_id: str):
    found = accounts.get(runtime(), account_id) if len(account_id) <= 36 else None
    if found is None:
        abort(404)
    return found


def _edit_form(account) -> Form:
    form = Form(labels=LABELS)
    form.values["full_name"] = account.full_name
    form.values["unit"] = account.unit or ""
    form.values.setlist("roles", list(account.roles))
    if account.active:
        form.values["active"] = "1"
    return form


@bp.route("/quan-tri/tai-khoan/<account_id>", methods=["GET", "POST"])
@requires("admin")
def edit_account(account_id: str):
    account = _account_or_404(account_id)
    if request.method == "GET":
        return render_template("admin/account_edit.html", account=account, form=_edit_form(account),
                               reset=Form(labels=LABELS), **_choices())
    form = Form.from_request(request.form, labels=LABELS)
    active = form.get("active") == "1"
    me = officer()
    if account.id == me.id and (not active or "admin" not in form.getlist("roles")):
        # Locking oneself out leaves the province without anyone to undo it.
        form.error("roles" if active else "active",
                   "Không thể tự khoá tài khoản của mình hoặc bỏ vai trò Quản trị của chính mình.")
    else:
        try:
            accounts.update_account(runtime(), account.id, full_name=form.get("full_name"), roles=form.getlist("roles"),
                                    unit=form.get("unit") or None, active=active, actor=me.username)
        except AccountError as exc:
            form.error(exc.field, exc.message)
    if not form.ok:
        return render_template("admin/account_edit.html", account=account, form=form, reset=Form(labels=LABELS),
                               **_choices()), 400
    banner(f"Đã lưu tài khoản {account.username}."
           + ("" if active else " Tài khoản đã bị khoá và các phiên đăng nhập của nó đã kết thúc."))
    return redirect(url_for("admin.accounts"), 303)


@bp.post("/quan-tri/tai-khoan/<account_id>/dat-lai-mat-khau")
@requires("admin")
def reset_password(account_id: str):
    account = _account_or_404(account_id)
    reset = Form(labels=LABELS)
    if account.source != "local":
        reset.error("new_password", "Tài khoản đăng nhập qua hệ thống định danh của tỉnh; không đặt mật khẩu ở đây.")
    else:
        try:
            accounts.set_password(runtime(), account.id, request.form.get("new_password", ""), must_change=True,
                                  actor=officer().username,
                                  keep_session=g.console_session.id_hash if account.id == officer().id else None)
        except AccountError as exc:
            reset.error("new_password", exc.message)
    if not reset.ok:
        return render_template("admin/account_edit.html", account=account, form=_edit_form(account), reset=reset,
                               **_choices()), 400
    banner(f"Đã đặt lại mật khẩu cho {account.username}. Cán bộ phải đổi mật khẩu ở lần đăng nhập tới.")
    return redirect(url_for("admin.edit_account", account_id=account.id), 303)
