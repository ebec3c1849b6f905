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


def _periodic(runtime):
    from .jobs import periodic

    return periodic(runtime)


SPEC = ServiceSpec(
    name="reporting",
    title="motcua — Báo cáo thống kê (reporting)",
    description="Số liệu giải quyết thủ tục hành chính (Biểu 06/VPCP/KSTT, chỉ số Quyết định 766) dựng từ sự kiện.",
    metadata=metadata,
    migrations=Path(__file__).parent / "migrations",
    blueprints=_blueprints,
    handlers=_handlers,
    periodic=_periodic,
    settings=config.SETTINGS,
)
