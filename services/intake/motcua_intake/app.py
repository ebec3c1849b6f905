from flask import Flask, current_app

from motcua_shared.settings import Settings
from motcua_shared.web.app import create_service_app

from .desk import Desk
from .service import SPEC


def create_app(settings: Settings | None = None) -> Flask:
    app = create_service_app(SPEC, settings)
    runtime = app.extensions["motcua"]
    runtime.extras["desk"] = Desk.from_settings(runtime.settings, outbox=runtime.outbox)
    return app


def desk() -> Desk:
    return current_app.extensions["motcua"].extras["desk"]
