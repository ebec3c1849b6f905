from pathlib import Path

from motcua_shared.service import ServiceSpec
from motcua_shared.settings import load

from . import config
from .models import metadata


def _blueprints():
    from .api import blueprints

    return blueprints()


def _handlers():
    # The worker reads its settings from the environment, as its Runtime does.
    from .handlers import build

    return build(config.PostalConfig.from_settings(load("postal", config.SETTINGS)))


def _periodic(runtime):
    from .sweeps import periodic_jobs

    return periodic_jobs(config.PostalConfig.from_settings(runtime.settings))


SPEC = ServiceSpec(
    name="postal",
    title="motcua — Bưu chính công ích (postal)",
    description="Chuyển hồ sơ và trả kết quả qua dịch vụ bưu chính công ích (Quyết định 45/2016/QĐ-TTg).",
    metadata=metadata,
    migrations=Path(__file__).parent / "migrations",
    blueprints=_blueprints,
    handlers=_handlers,
    periodic=_periodic,
    settings=config.SETTINGS,
)
