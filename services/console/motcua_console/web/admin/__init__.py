"""Administration: officer accounts, the audit log and open sessions (the console's own database), the
province's calendar and procedure catalogue (intake), the message templates (notification), and the services'
reachability."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

# The administration pages, in the order of the tabs each page shows.
TABS = (
    ("admin.accounts", "Tài khoản"),
    ("admin.sessions", "Phiên đăng nhập"),
    ("admin.audit", "Nhật ký"),
    ("admin.calendar", "Lịch làm việc"),
    ("admin.procedures", "Thủ tục"),
    ("admin.templates", "Mẫu tin nhắn"),
    ("admin.system", "Hệ thống"),
)


@bp.app_context_processor
def _tabs():
    return {"admin_tabs": TABS}


from . import accounts, audit, calendar, procedures, system, templates  # noqa: E402,F401
