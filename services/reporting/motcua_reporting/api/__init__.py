"""Reporting's HTTP API."""


def blueprints() -> list:
    from .reports import blp

    return [blp]
