from pathlib import Path

from motcua_shared.service import ServiceSpec

from . import config
from .models import metadata


def _blueprints():
    from .api import blueprints

    return blueprints()


def _handlers():
    from .handlers import HANDLERS

    return HANDLERS


SPEC = ServiceSpec(
    name="routing",
    title="motcua — Luân chuyển hồ sơ (routing)",
    description="Luân chuyển hồ sơ giữa các cấp xã, huyện, tỉnh và cơ quan chuyên môn; thời hạn từng bước.",
    metadata=metadata,
    migrations=Path(__file__).parent / "migrations",
    blueprints=_blueprints,
    handlers=_handlers,
    settings=config.SETTINGS,
)
