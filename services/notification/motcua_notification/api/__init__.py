"""The notification service's HTTP API (its resources arrive with its own issue; the operations endpoints
come from the shared app factory)."""


def blueprints() -> list:
    return []
