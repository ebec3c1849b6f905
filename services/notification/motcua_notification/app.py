from flask import Flask

from motcua_shared.settings import Settings
from motcua_shared.web.app import create_service_app

from .service import SPEC


def create_app(settings: Settings | None = None) -> Flask:
    return create_service_app(SPEC, settings)
