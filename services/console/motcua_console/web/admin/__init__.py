"""Administration: officer accounts, the audit log and open sessions (the console's own database), the
province's calendar and procedure catalogue (intake), the message templates (notification), the services'
reachability, and the import of a district's past dossiers (intake)."""
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
    ("admin.imports", "Nhập hồ sơ lịch sử"),
)
# Pages under a tab that are not themselves in the bar: the tab they belong to is marked current.
TAB_OF = {"admin.create_account": "admin.accounts", "admin.edit_account": "admin.accounts",
          "admin.reset_password": "admin.accounts", "admin.template": "admin.templates",
          "admin.import_status": "admin.imports", "admin.rebuild_status": "admin.system"}


@bp.app_context_processor
def _tabs():
    return {"admin_tabs": TABS, "admin_tab_of": TAB_OF}


from . import accounts, audit, calendar, imports, procedures, system, templates  # noqa: E402,F401
