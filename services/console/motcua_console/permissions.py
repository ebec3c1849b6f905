"""Who may open which page. Deny by default: every endpoint declares `public`, `signed_in` or the roles
that may open it (`requires`), and a before-request check refuses any endpoint that declares nothing
(tests/console walks `app.url_map` to prove each one does). The services still decide what an officer
may see and do; these rules only keep an officer from pages that could never work for them."""
from __future__ import annotations

from typing import Callable

from motcua_shared.web.auth import OFFICER_ROLES

PUBLIC = "public"
SIGNED_IN = "signed_in"

# Where each role starts its day, in this order of precedence for officers with several roles.
START_PAGES = (
    ("receptionist", "desk.queue"),
    ("specialist", "inbox.steps"),
    ("leader", "inbox.steps"),
    ("auditor", "reports.dashboard"),
    ("admin", "admin.accounts"),
)


def _mark(access) -> Callable:
    def decorate(view: Callable) -> Callable:
        view._console_access = access
        return view
    return decorate


public = _mark(PUBLIC)
signed_in = _mark(SIGNED_IN)


def requires(*roles: str) -> Callable:
    unknown = set(roles) - OFFICER_ROLES
    if unknown or not roles:
        raise ValueError(f"unknown roles {unknown}")
    return _mark(frozenset(roles))


def access_of(view: Callable | None):
    return getattr(view, "_console_access", None)


def start_page(account) -> str:
    from flask import current_app

    for role, endpoint in START_PAGES:
        if account.has(role) and endpoint in current_app.view_functions:
            return endpoint
    return "auth.account"

# The navigation bar, in the order of an officer's day; each entry shows only to those who may open it.
NAV = (
    ("desk.queue", "Quầy tiếp nhận"),
    ("desk.reception", "Tiếp nhận hồ sơ"),
    ("inbox.steps", "Công việc"),
    ("dossiers.search", "Hồ sơ"),
    ("desk.logbook", "Sổ theo dõi"),
    ("postal.shipments", "Bưu chính"),
    ("reports.dashboard", "Báo cáo"),
    ("admin.accounts", "Quản trị"),
)


def may_open(account, view) -> bool:
    access = access_of(view)
    if access in (PUBLIC, SIGNED_IN):
        return True
    return bool(access) and account.has(*access)


def nav_items(app, account, current: str | None) -> list[tuple[str, str, bool]]:
    """(endpoint, label, is the current area) for the entries this officer may open. A page that is not
    itself in the bar (a dossier, an action) marks the first entry of its blueprint."""
    shown = [(endpoint, label) for endpoint, label in NAV
             if endpoint in app.view_functions and may_open(account, app.view_functions[endpoint])]
    names = {endpoint for endpoint, _ in NAV}
    area = (current or "").split(".")[0]
    marked = current if current in names else next((e for e, _ in NAV if e.split(".")[0] == area), None)
    return [(endpoint, label, endpoint == marked) for endpoint, label in shown]
