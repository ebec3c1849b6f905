"""/quan-tri/nhat-ky and /quan-tri/phien: the console's audit log (newest first) and its open sessions."""
from __future__ import annotations

from flask import render_template, request
from sqlalchemy import func, select

from ...auth import sessions
from ...models import audit_entries
from ...permissions import requires
from ..context import runtime
from . import bp

PAGE_SIZE = 50
ACTIONS = {
    "account_created": "Tạo tài khoản",
    "account_updated": "Sửa tài khoản",
    "password_reset": "Đặt lại mật khẩu",
    "password_changed": "Đổi mật khẩu",
    "signed_in": "Đăng nhập",
    "signed_in_oidc": "Đăng nhập qua định danh của tỉnh",
    "sign_in_failed": "Đăng nhập không thành công",
    "sign_in_locked": "Đăng nhập khi tài khoản đang tạm khoá",
}


def _page() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.get("/quan-tri/nhat-ky")
@requires("admin")
def audit():
    page = _page()
    with runtime().engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_entries)).scalar_one()
        rows = conn.execute(select(audit_entries).order_by(audit_entries.c.at.desc(), audit_entries.c.id.desc())
                            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("admin/audit.html", entries=rows, actions=ACTIONS, page=page, total=total,
                           page_size=PAGE_SIZE)


@bp.get("/quan-tri/phien", endpoint="sessions")  # the module `sessions` keeps the plain name
@requires("admin")
def session_list():
    return render_template("admin/sessions.html", open_sessions=sessions.live(runtime()))
