from flask import Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from motcua_shared.settings import Settings
from motcua_shared.web.app import create_service_app

from .desk import Desk
from .lookup_limits import LookupLimits
from .service import SPEC


def create_app(settings: Settings | None = None) -> Flask:
    app = create_service_app(SPEC, settings)
    runtime = app.extensions["motcua"]
    runtime.extras["desk"] = Desk.from_settings(runtime.settings, outbox=runtime.outbox)
    runtime.extras["lookup_limits"] = LookupLimits.from_settings(runtime.settings)
    if runtime.settings.intake_trusted_proxies > 0:
        # Only X-Forwarded-For, and only as many hops as there are proxies we run: a client cannot
        # pick its own rate-limit key by sending the header itself.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=runtime.settings.intake_trusted_proxies)
    return app


def desk() -> Desk:
    return current_app.extensions["motcua"].extras["desk"]


def lookup_limits() -> LookupLimits:
    return current_app.extensions["motcua"].extras["lookup_limits"]
