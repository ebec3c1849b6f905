"""Notification's HTTP API: one package per resource, one module per endpoint."""


def blueprints() -> list:
    from .contact_confirmations import blp as contact_confirmations
    from .dossiers import blp as dossiers
    from .opt_outs import blp as opt_outs
    from .receipts import blp as receipts
    from .templates import blp as templates
    from .unsubscribe import blp as unsubscribe

    return [dossiers, templates, receipts, opt_outs, unsubscribe, contact_confirmations]
