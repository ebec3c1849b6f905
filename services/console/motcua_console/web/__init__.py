"""The console's pages, one blueprint per area, one module per page or small group of pages."""


def blueprints() -> list:
    from . import admin, auth, desk, dossiers, inbox, oidc, ops, postal, reports

    return [auth.bp, oidc.bp, ops.bp, desk.bp, dossiers.bp, inbox.bp, postal.bp, reports.bp, admin.bp]
