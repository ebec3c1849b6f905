"""Intake's HTTP API: one package per resource, one module per endpoint."""


def blueprints() -> list:
    from .calendar import blp as calendar
    from .dossiers import blp as dossiers
    from .forms import blp as forms
    from .imports import blp as imports
    from .procedures import blp as procedures
    from .public import blp as public
    from .reference import blp as reference

    return [dossiers, forms, procedures, public, calendar, imports, reference]
