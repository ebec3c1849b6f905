"""Routing's HTTP API: one package per resource, one module per endpoint."""


def blueprints() -> list:
    from .routes import blp as routes
    from .steps import blp as steps

    return [steps, routes]
