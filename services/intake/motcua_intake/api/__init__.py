"""Intake's HTTP API: one package per resource, one module per endpoint."""


def blueprints() -> list:
    from .dossiers import blp as dossiers

    return [dossiers]
