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
    name="postal",
    title="motcua — Bưu chính công ích (postal)",
    description="Chuyển hồ sơ và trả kết quả qua dịch vụ bưu chính công ích (Quyết định 45/2016/QĐ-TTg).",
    metadata=metadata,
    migrations=Path(__file__).parent / "migrations",
    blueprints=_blueprints,
    handlers=_handlers,
    settings=config.SETTINGS,
)
