"""Reporting's HTTP API and the dashboard page."""


def blueprints() -> list:
    from ..dashboard import blp as dashboard
    from .admin import blp as admin
    from .reports import blp as reports

    return [reports, admin, dashboard]
