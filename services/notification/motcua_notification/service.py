from pathlib import Path

from motcua_shared.service import ServiceSpec

from . import config
from .models import metadata


def _blueprints():
    from .api import blueprints

    return blueprints()


def _handlers():
    from .handlers import handlers
    from .options import from_environment

    return handlers(*from_environment())


def _periodic(runtime):
    from .jobs import periodic

    return periodic(runtime)


SPEC = ServiceSpec(
    name="notification",
    title="motcua — Thông báo (notification)",
    description="Thông báo cho công dân qua SMS và thư điện tử ở mỗi bước xử lý hồ sơ.",
    metadata=metadata,
    migrations=Path(__file__).parent / "migrations",
    blueprints=_blueprints,
    handlers=_handlers,
    periodic=_periodic,
    settings=config.SETTINGS,
)
