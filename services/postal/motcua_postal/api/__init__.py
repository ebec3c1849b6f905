"""The postal service's HTTP API: one package per resource, one module per endpoint."""


def blueprints() -> list:
    from .shipments import blp as shipments

    return [shipments]
