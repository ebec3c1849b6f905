"""The console's pages, one blueprint per area, one module per page or small group of pages."""


def blueprints() -> list:
    from . import auth, ops

    found = [auth.bp, ops.bp]
    for area in ("oidc", "desk", "dossiers", "inbox", "reports", "admin"):
        try:
            module = __import__(f"{__name__}.{area}", fromlist=["bp"])
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{area}":
                raise
            continue
        found.append(module.bp)
    return found
